"""DRF serializers of pricing's REST endpoints."""
