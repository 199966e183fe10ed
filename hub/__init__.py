"""County hub (县级同步平台): FastAPI sync server, its own models and migrations."""
