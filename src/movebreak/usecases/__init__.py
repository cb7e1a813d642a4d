"""What a user can ask of movebreak, shared by the command line and the tray.

Each module is one use case (or a few small ones): plain functions that take what they need
(an ``Environment``, a config, a store) and return plain data. They never print and never
parse command lines; ``movebreak.cli`` parses and renders, the tray turns results into
notices. A user mistake or an environment problem is a ``MovebreakError``; only a warning
about the files they open (a hand-edited history row, a damaged catalogue) goes to the
environment's stderr, as one line, for whoever shows it.
"""
