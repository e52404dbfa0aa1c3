"""DRF serializers of inventory's REST endpoints."""
