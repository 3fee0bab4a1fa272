"""The core layer: configuration keys, the database (engine, sessions, models),
translations, text and address checks, the public URL and the per-app state.

It imports nothing from the layers above it (the domain areas, the web layer,
the extension and the CLI); ``lint-imports`` holds that in CI.
"""
