"""citetrace database: schema and writer (sqlite-utils)."""
