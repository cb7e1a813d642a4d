"""Loaded by every Python process started with this folder on PYTHONPATH (the privacy test).

Records each socket the process creates or uses, with its address family, one JSON line per
event, to the file named by MOVEBREAK_SOCKET_AUDIT. Name look-ups are recorded too.
"""

import json
import os
import sys

_TARGET = os.environ.get("MOVEBREAK_SOCKET_AUDIT")


def _name(family):
    try:
        return sys.modules["socket"].AddressFamily(family).name
    except Exception:  # -1 (from a file descriptor) or a family this Python has no name for
        return str(family)


def _family(sock):
    try:
        return _name(sock.family)
    except Exception:  # a half-made socket
        return "unknown"


def _hook(event, args):
    if not event.startswith("socket."):
        return
    if event == "socket.__new__":
        family = _name(args[1])
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        family = "name-lookup:" + repr(args[0])
    else:
        family = _family(args[0])
    try:
        with open(_TARGET, "a", encoding="utf-8") as stream:
            stream.write(json.dumps({"pid": os.getpid(), "event": event, "family": family,
                                     "argv": sys.argv[:3]}) + "\n")
    except OSError:
        pass


if _TARGET:
    sys.addaudithook(_hook)
