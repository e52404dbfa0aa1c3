"""DRF serializers of reviews's REST endpoints."""
