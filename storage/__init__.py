"""SQLite storage: the connection, migrations and repositories.

All SQL of the project lives here.
"""
