"""citetrace surfaces: the Datasette plugin and the command line."""
