"""Typed Python client for the buildtracker PostgreSQL data gateway.

Every rule lives in the database (schema ``claude``); this package only calls
its stored functions and maps their results and errors to Python types.
"""

__version__ = "0.1.0"
