"""Changing the user's config.toml without losing what they wrote there.

``movebreak setup`` (first_run.py) and the settings window (settings_edit.py) both change a
few keys of a file the user may have written by hand: tomlkit keeps their comments, the
order and keys movebreak does not know; a missing file starts as the commented default
file. The file is read again just before the change (a hand edit made meanwhile stays), a
change that would make it worse is refused, and it is written atomically and 0600, never
through a symbolic link (``storage_files.write_own_text``). Also the start-at-login switch
both of them offer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from movebreak.errors import MovebreakError
from movebreak.i18n import _

if TYPE_CHECKING:
    from movebreak.config import Config
    from movebreak.environment import Environment


@dataclass(frozen=True)
class Rewrite:
    before: Config  # the file's effective settings just before the change
    after: Config  # and as written (or as they stay, when nothing was written)
    written: bool


def rewrite(path: Path, change: Callable[[Any, Config], None], *, fresh_file: bool = True) -> Rewrite:
    """Read the file now, let ``change(document, effective)`` edit its tomlkit document, write it
    back if it differs. ``fresh_file``: a missing file is written even when the change left the
    default text as it was. Raises ``MovebreakError`` (one line, nothing written) for a file
    that is not UTF-8 TOML, a link or anything but a regular file, or a change that would
    add a problem."""
    from movebreak import config
    from movebreak.storage_files import write_own_text

    before = existing_text(path)
    base = before if before is not None else config.defaults().to_toml(comments=True)
    document = parse_document(base, path)
    earlier = config.parse_text(base, path)
    change(document, earlier)
    text = document.as_string()
    after = config.parse_text(text, path)
    if len(after.problems) > len(earlier.problems):  # never make the file worse than the user left it
        raise MovebreakError(str(after.problems[-1]))
    write = text != before and (before is not None or fresh_file or text != base)
    if write:
        write_own_text(path, text)
    return Rewrite(earlier, after, write)


def existing_text(path: Path) -> str | None:
    """The file's text now; None when there is none."""
    from movebreak.config import MAX_CONFIG_BYTES
    from movebreak.storage_files import NotRegularFile, TooLarge, read_regular_file

    try:
        raw = read_regular_file(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return None
    except (NotRegularFile, TooLarge) as error:
        raise MovebreakError(_("{path}: {reason}; nothing was changed (see: movebreak config check)",
                               path=path, reason=error)) from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise MovebreakError(_("{path} is not UTF-8 text; nothing was changed (see: movebreak config check)",
                               path=path)) from None


def parse_document(text: str, path: Path):
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        return tomlkit.parse(text)
    except ParseError as error:
        raise MovebreakError(_("{path} is not valid TOML ({reason}); fix it first (movebreak config edit), "
                               "nothing was changed", path=path, reason=error)) from None


def table(document, name: str):
    """The section ``[name]`` of the document, added at the end when missing."""
    import tomlkit

    if name not in document:
        document.add(tomlkit.nl())
        document.add(name, tomlkit.table())
    found = document[name]
    if not hasattr(found, "get"):
        raise MovebreakError(_("the config's \"{name}\" is not a section; fix it first (movebreak config edit)",
                               name=name))
    return found


# --- start at login ------------------------------------------------------------------------------------


def autostart_on(env: Environment) -> bool:
    from movebreak.autostart import make_autostart

    try:
        return bool(make_autostart(env.platform, env.environ).status().enabled)
    except Exception:  # an odd platform or an unreadable entry: offer "no"
        return False


def switch_autostart(env: Environment, wanted: bool) -> tuple[bool, str]:
    """Start at login or not; (whether it is now as wanted, the one line that says so)."""
    from movebreak.autostart import launch_command, make_autostart

    try:
        autostart = make_autostart(env.platform, env.environ)
        if autostart.status().enabled == wanted:
            return True, _("Start at login: {answer}", answer=_("yes") if wanted else _("no"))
        state = autostart.enable(launch_command(platform=env.platform)) if wanted else autostart.disable()
    except (MovebreakError, OSError) as error:
        return False, _("Start at login could not be changed: {reason} (try: movebreak autostart {action})",
                        reason=error, action="enable" if wanted else "disable")
    if state.enabled != wanted:
        return False, _("Start at login could not be changed: {reason} (try: movebreak autostart {action})",
                        reason=state.note or state.where, action="enable" if wanted else "disable")
    return True, _("Start at login: {answer}", answer=_("yes") if wanted else _("no"))
