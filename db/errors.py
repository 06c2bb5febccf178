"""The error a database this release cannot use raises (one line: the file and the reason).
Its own module so that every db module can raise it without importing db.migrate."""


class SchemaError(Exception):
    """The database cannot be used by this release."""
