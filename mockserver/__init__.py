"""DeePsy API v1 mock server: seeded, stateful and in memory."""

from flask import Flask

from .config import DEFAULTS, MULTIPART_OVERHEAD_BYTES
from .mock import Mock


def create_app(config=None):
    """Create the mock's Flask app.

    Configuration comes from `DEFAULTS`, then `DEEPSY_MOCK_*` environment
    variables, then `config`. Raises `FixtureError` for a bad fixture file.
    """
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("DEEPSY_MOCK")
    if config:
        app.config.from_mapping(config)
    app.config["MAX_CONTENT_LENGTH"] = (
        app.config["MAX_ASSET_BYTES"] + MULTIPART_OVERHEAD_BYTES
    )
    # Responses keep the field order of the schemas, as the documentation shows.
    app.json.sort_keys = False

    mock = Mock.from_config(app.config)
    app.extensions["deepsy_mock"] = mock

    from . import api, control, error_handler, middleware

    error_handler.register_error_handlers(app)
    middleware.register(app)
    app.register_blueprint(api.create_blueprint(app.config), url_prefix="/api/v1")
    app.register_blueprint(control.blueprint, url_prefix="/_mock")
    return app


__all__ = ["create_app"]
