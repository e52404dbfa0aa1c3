"""DRF serializers of orders's REST endpoints."""
