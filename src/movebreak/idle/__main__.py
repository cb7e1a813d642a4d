"""``python -m movebreak.idle``: print idle seconds from the probe this session would use."""

import sys

from movebreak.idle import make_probe
from movebreak.idle._cli import run

raise SystemExit(run(make_probe, sys.argv[1:], "movebreak.idle"))
