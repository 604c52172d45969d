"""Protocols as data.

``spec`` and ``agenda`` are pure (no database): the spec format and agenda fitting.
``library`` holds the state changes (load the built-ins, copy, save a new version) that the
web views, the API and the management commands all call.
"""
