"""What a reminder asks a person to do.

- ``catalogue``: the ``Exercise`` record and loading of the built-in catalogue
  (``assets/exercises/*.toml``) plus the user's own file, with one line per problem.
- ``choice``: the pure chooser (no I/O, no clock): which exercise, or which short routine.
- ``render``: text and JSON for the CLI.

Nothing is imported here, so that ``choice`` stays free of the file-reading adapter.
"""
