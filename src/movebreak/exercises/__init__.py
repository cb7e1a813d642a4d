"""What a reminder asks a person to do.

- ``model``: the ``Exercise`` record and the ``Catalogue`` of them (data, no I/O).
- ``catalogue``: loading of the built-in catalogue (``assets/exercises/*.toml``) plus the
  user's own file, with one line per problem (``entry`` checks one ``[[exercise]]`` table).
- ``choice``: the pure chooser (no I/O, no clock): which exercise, or which short routine.
- ``render``: text and JSON for the CLI.

Nothing is imported here, so that ``choice`` stays free of the file-reading adapter.
"""
