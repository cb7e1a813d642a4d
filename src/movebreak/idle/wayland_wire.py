"""Just enough of the Wayland wire protocol to ask the compositor about idle time.

Why not pywayland: it needs libwayland-client through cffi (a compiler or a wheel per
platform, and a few MB more in the running app) for six requests and four events. The wire
format is small: every message is ``object id (u32)``, ``size << 16 | opcode (u32)``, then
the arguments, each padded to 4 bytes (int, uint, fixed, object and new_id are 4 bytes;
a string or array is a u32 length and the bytes). File descriptors travel beside the bytes
(SCM_RIGHTS); none of the events read here carries one, and any that arrive are closed.

Only a local Unix socket is ever opened: ``$WAYLAND_DISPLAY`` inside ``$XDG_RUNTIME_DIR``
(or an absolute path). No network.
"""

from __future__ import annotations

import array
import os
import socket
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from movebreak.i18n import _

DISPLAY_ID = 1
HEADER = struct.Struct("=II")
MAX_MESSAGE = 4096  # libwayland's limit per message
_FD_SPACE = socket.CMSG_SPACE(28 * array.array("i").itemsize)  # libwayland sends at most 28 fds at once


class WireError(Exception):
    """The compositor is not there, went away, or said something this client cannot read."""


@dataclass(frozen=True)
class Message:
    sender: int
    opcode: int
    body: bytes


def socket_path(environ: Mapping[str, str]) -> str:
    """Where the compositor listens, from the session's environment (as libwayland finds it)."""
    name = environ.get("WAYLAND_DISPLAY") or "wayland-0"
    if os.path.isabs(name):
        return name
    runtime = environ.get("XDG_RUNTIME_DIR")
    if not runtime:
        raise WireError(_("XDG_RUNTIME_DIR is not set; run movebreak inside your Wayland session"))
    return os.path.join(runtime, name)


def uint(value: int) -> bytes:
    return struct.pack("=I", value)


def string(text: str) -> bytes:
    data = text.encode() + b"\0"
    return uint(len(data)) + data + b"\0" * (-len(data) % 4)


def read_uint(body: bytes, offset: int = 0) -> tuple[int, int]:
    if offset + 4 > len(body):
        raise WireError(_("a Wayland event ended early"))
    return struct.unpack_from("=I", body, offset)[0], offset + 4


def read_string(body: bytes, offset: int = 0) -> tuple[str, int]:
    length, offset = read_uint(body, offset)
    end = offset + length
    if length == 0 or end > len(body):
        raise WireError(_("a Wayland event ended early"))
    return body[offset:end - 1].decode(errors="replace"), offset + (length + 3) // 4 * 4


class Wire:
    """One connection: send requests, split what arrives into messages, new object ids."""

    def __init__(self, path: str, *, timeout: float | None = 1.0) -> None:
        self.path = path
        self._buffer = b""
        self._next_id = DISPLAY_ID + 1
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        self.timeout = timeout  # None: a reader thread blocks until something arrives
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(path)
        except OSError as error:
            self.sock.close()
            raise WireError(_("cannot connect to the Wayland compositor at {path}: {error}", path=path,
                              error=error.strerror or error)) from None

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def send(self, target: int, opcode: int, *args: bytes) -> None:
        body = b"".join(args)
        try:
            self.sock.sendall(HEADER.pack(target, (HEADER.size + len(body)) << 16 | opcode) + body)
        except OSError as error:
            raise WireError(_("the Wayland compositor went away: {error}", error=error.strerror or error)) from None

    def peer_pid(self) -> int | None:
        """The compositor's process id (SO_PEERCRED), to name it in ``doctor``."""
        try:
            creds = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        except (OSError, AttributeError):
            return None
        pid = struct.unpack("3i", creds)[0]
        return pid or None

    def settimeout(self, timeout: float | None) -> None:
        """0: ``receive`` only takes what is waiting; None: it blocks (a reader thread); else waits that long."""
        self.timeout = timeout
        self.sock.settimeout(timeout)

    def receive(self) -> list[Message]:
        """What arrived: on a non-blocking socket only what is already there (never waits); else
        waits for at least one whole message."""
        if self.timeout == 0:
            while self._read():
                pass
            return list(self._split())
        while not (messages := list(self._split())):
            self._read()
        return messages

    def _read(self) -> bool:
        """One recvmsg into the buffer; False when nothing was waiting (non-blocking socket)."""
        try:
            data, ancillary, _flags, _address = self.sock.recvmsg(MAX_MESSAGE, _FD_SPACE)
        except (BlockingIOError, InterruptedError):
            return False
        except TimeoutError:
            raise WireError(_("the Wayland compositor did not answer in time")) from None
        except OSError as error:
            raise WireError(_("the Wayland compositor went away: {error}", error=error.strerror or error)) from None
        _close_fds(ancillary)
        if not data:
            raise WireError(_("the Wayland compositor closed the connection"))
        self._buffer += data
        return True

    def _split(self) -> Iterator[Message]:
        while len(self._buffer) >= HEADER.size:
            sender, word = HEADER.unpack_from(self._buffer)
            size = word >> 16
            if size < HEADER.size or size % 4:
                raise WireError(_("the Wayland compositor sent a malformed message"))
            if len(self._buffer) < size:
                return
            body, self._buffer = self._buffer[HEADER.size:size], self._buffer[size:]
            yield Message(sender, word & 0xFFFF, body)

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv on this socket
        except OSError:
            pass
        self.sock.close()


def _close_fds(ancillary) -> None:
    """Close any file descriptor the compositor passed (none is expected; never leak one)."""
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
