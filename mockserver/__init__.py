"""DeePsy API v1 mock server: seeded, stateful and in memory."""


def create_app(config=None):
    """Create the mock's Flask app.

    Configuration comes from `DEFAULTS`, then `DEEPSY_MOCK_*` environment
    variables, then `config`. Raises `ConfigError` for an environment value
    of the wrong type and `FixtureError` for a bad fixture file.
    """
    # Imported here, not at the top, because pytest imports this package to
    # load the plugin in every run of a project that installs it. Flask,
    # marshmallow and Faker would add a quarter of a second to each such run.
    from flask import Flask

    from . import api, control, error_handler, middleware
    from .config import DEFAULTS, MULTIPART_OVERHEAD_BYTES, typed_value
    from .mock import Mock

    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    # Values are read as text and typed by their setting's default, so that a
    # token such as 1e3 is not turned into a number.
    app.config.from_prefixed_env("DEEPSY_MOCK", loads=str)
    for name in DEFAULTS:
        if isinstance(app.config[name], str) and DEFAULTS[name] != app.config[name]:
            app.config[name] = typed_value(name, app.config[name])
    if config:
        app.config.from_mapping(config)
    app.config["MAX_CONTENT_LENGTH"] = (
        app.config["MAX_ASSET_BYTES"] + MULTIPART_OVERHEAD_BYTES
    )
    # Responses keep the field order of the schemas, as the documentation shows.
    app.json.sort_keys = False

    mock = Mock.from_config(app.config)
    app.extensions["deepsy_mock"] = mock

    error_handler.register_error_handlers(app)
    middleware.register(app)
    app.register_blueprint(api.create_blueprint(), url_prefix="/api/v1")
    app.register_blueprint(control.blueprint, url_prefix="/_mock")
    return app


__all__ = ["create_app"]
