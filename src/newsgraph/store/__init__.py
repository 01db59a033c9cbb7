"""SQLite storage of analyses (the only package that speaks SQL)."""
from .db import SCHEMA_VERSION, Store

__all__ = ["Store", "SCHEMA_VERSION"]
