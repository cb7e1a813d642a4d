"""`movebreak doctor`: each part the app needs, OK or what is wrong and how to fix it."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass

from movebreak import __version__
from movebreak.environment import Environment
from movebreak.i18n import _


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: not available here, and nothing the user can fix (shown as "--")
    detail: str


def tray_check(env: Environment) -> Check:
    """Which tray would show the icon and what the user sees there (the StatusNotifierWatcher's
    owner by name), without importing pystray (its import needs a display)."""
    from movebreak.tray.backend import choose_backend

    choice = choose_backend(env.environ, env.platform, name_host=True)
    if not choice.usable:  # issue 20.5: a display without a tray yet is waited for, not given up on
        from movebreak.tray.presence import waiting_backend

        if waiting_backend(env.environ, env.platform) is not None:
            return Check(_("tray"), False, _(
                "none yet; waiting for one: movebreak shows its icon as soon as a system tray starts "
                "(reminders come as notifications meanwhile)"))
    return Check(_("tray"), choice.usable, choice.detail)


def run_checks(env: Environment) -> list[Check]:
    checks = [
        Check(_("version"), True, _("movebreak {version}, Python {python}, {system}", version=__version__,
                                     python=platform.python_version(), system=platform.platform(terse=True))),
        tray_check(env),
    ]
    checks += _desktop_checks(env)
    checks += _quiet_checks(env)
    checks += _file_checks(env)
    return checks


def _desktop_checks(env: Environment) -> list[Check]:
    checks = []
    try:
        from movebreak.notify import make_notifier

        status = make_notifier(env.environ, env.platform).check()
        checks.append(Check(_("notifications"), status.ok, status.detail))
    except ImportError:
        checks.append(Check(_("notifications"), False, _("the notification adapter is missing from this install")))
    try:
        from movebreak.idle import make_probe

        probe = make_probe(env.environ, env.platform)
        detail = probe.describe()
        checks.append(Check(_("idle detection"), probe.problem is None, detail))
    except ImportError:
        checks.append(Check(_("idle detection"), False, _("the idle probes are missing from this install")))
    return checks


def _quiet_checks(env: Environment) -> list[Check]:
    """One line per quiet source the config enables: whether it works here, what it reads or why not."""
    from movebreak import config as config_module
    from movebreak.quiet import QuietSources

    enabled = config_module.load(env.paths.config_file)["reminders.quiet_during"]
    if not enabled:
        return [Check(_("quiet"), True, _("no source is enabled (reminders.quiet_during = []): reminders are never "
                                          "held"))]
    sources = QuietSources(enabled, env.environ, platform=env.platform)
    # a source this desktop cannot offer is no fault to fix: "--", not "FIX"
    return [Check(_("quiet during {source}", source=report.source), True if report.works_here else None,
                  report.detail) for report in sources.report()]


def _file_checks(env: Environment) -> list[Check]:
    from movebreak import config as config_module
    from movebreak.store import Store

    paths = env.paths
    checks = []
    for label, folder in ((_("config folder"), paths.config_dir), (_("data folder"), paths.data_dir),
                          (_("cache folder"), paths.cache_dir), (_("log folder"), paths.log_dir)):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            writable = os.access(folder, os.W_OK)
        except OSError as error:
            checks.append(Check(label, False, _("{path}: {reason}", path=folder, reason=error.strerror)))
            continue
        checks.append(Check(label, writable, str(folder) if writable else
                            _("{path} is not writable; fix its permissions", path=folder)))
    cfg = config_module.load(paths.config_file)
    if cfg.problems:
        checks.append(Check(_("config"), False, "; ".join(str(p) for p in cfg.problems)
                            + " " + _("(run: movebreak config edit)")))
    else:
        checks.append(Check(_("config"), True, str(paths.config_file) if paths.config_file.exists()
                            else _("{path} (no file: defaults)", path=paths.config_file)))
    try:
        with Store(paths.database, now=env.clock.now) as store:
            result = store.integrity_check()
            recovered = store.recovered_from
            broken = sorted(path for path in paths.data_dir.glob(paths.database.name + ".broken-*")
                            if not path.name.endswith(("-wal", "-shm")))  # the copy, not its side files
        detail = str(paths.database)
        if recovered or broken:
            saved = recovered or broken[-1]
            detail += " · " + _("an earlier damaged history was kept as {saved}", saved=saved)
        checks.append(Check(_("history"), result == "ok", detail if result == "ok" else
                            _("{path}: integrity check says {result}", path=paths.database, result=result)))
    except Exception as error:  # doctor reports; it never crashes
        checks.append(Check(_("history"), False, f"{paths.database}: {error}"))
    checks.append(Check(_("log file"), True, str(paths.log_file)))
    return checks


def python_info() -> str:
    return f"{sys.executable} {platform.python_version()}"
