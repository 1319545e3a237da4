"""Configuration defaults of the mock.

`create_app` applies these defaults, then every `DEEPSY_MOCK_<NAME>`
environment variable (Flask parses the value as JSON where it can, so
`DEEPSY_MOCK_SEED=7` is the integer 7), then the mapping the caller passes.
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
    # Base of the absolute URLs in assets and emails, such as
    # "https://mock.example.com"; None builds them from the request's host.
    "PUBLIC_BASE_URL": None,
    # Origins allowed by CORS on /api/v1: "*" or a list of origins.
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
