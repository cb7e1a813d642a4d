"""movebreak: get up, move, and see the week against the WHO goals."""

__version__ = "0.1.0"
