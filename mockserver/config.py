"""Configuration defaults of the mock and the typing of environment values.

`create_app` applies these defaults, then every `DEEPSY_MOCK_<NAME>`
environment variable, then the mapping the caller passes. An environment
value takes the type of its default: `DEEPSY_MOCK_SEED=7` is the integer 7,
while `DEEPSY_MOCK_ADMIN_TOKEN=12345` stays the text "12345".
"""

MIB = 1024 * 1024

DEFAULTS = {
    # Seed of Faker and of the id generator; the same seed gives the same state.
    "SEED": 42,
    # A directory of the user's fixture files, or None for the bundled ones only.
    "FIXTURES": None,
    # "extend": the user's records come on top of the bundled ones;
    # "replace": only the user's records (and the bundled test catalogue).
    "FIXTURES_MODE": "extend",
    # Largest asset file accepted by upload and replace, in bytes.
    "MAX_ASSET_BYTES": 10 * MIB,
    # Largest JSON request body accepted, in bytes.
    "MAX_JSON_BYTES": 1 * MIB,
    # Largest state document PUT /_mock/state accepts, in bytes; the seeded
    # state alone exports to about 300 KB.
    "MAX_STATE_BYTES": 256 * MIB,
    # Base of the absolute URLs in assets and emails, such as
    # "https://mock.example.com"; None builds them from the request's host.
    "PUBLIC_BASE_URL": None,
    # Origins allowed by CORS on /api/v1: "*" or a list of origins (in the
    # environment, origins separated by commas).
    "CORS_ORIGINS": "*",
    # When set, the control API needs the header X-Mock-Admin-Token with this value.
    "ADMIN_TOKEN": None,
    # Number of requests the journal keeps; older entries are dropped and counted.
    "JOURNAL_SIZE": 1000,
    # Request bodies longer than this many characters are truncated in the journal.
    "JOURNAL_BODY_CHARS": 2048,
    # Log one line per request at INFO through the "mockserver.access" logger.
    "ACCESS_LOG": True,
}

# Room that multipart framing and a `name` part take beside the largest file.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class ConfigError(ValueError):
    """An environment variable whose value does not fit its setting."""


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def typed_value(name, text):
    """Convert the text of DEEPSY_MOCK_<name> to the type of the setting's default.

    Raises ConfigError naming the variable when the text does not convert.
    """
    default = DEFAULTS.get(name)
    variable = f"DEEPSY_MOCK_{name}"
    if isinstance(default, bool):
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ConfigError(f"{variable} must be true or false, not {text!r}.")
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            raise ConfigError(f"{variable} must be an integer, not {text!r}.") from None
    if name == "CORS_ORIGINS" and text != "*":
        return [origin.strip() for origin in text.split(",") if origin.strip()]
    return text or None
