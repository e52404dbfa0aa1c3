"""DRF serializers of catalog's REST endpoints."""
