"""Keyboard builders and the typed payloads their buttons carry."""
