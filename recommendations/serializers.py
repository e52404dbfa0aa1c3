"""DRF serializers of recommendations's REST endpoints."""
