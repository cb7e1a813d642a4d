"""Starting the app: the instance lock, then the tray icon or the terminal, then the rest.

``movebreak run`` is what a login starts, so this module and what it imports before the
icon is shown stay small: no argparse, no history, no scheduler, no exercise catalogue.
Those are built by ``Startup`` from the tray's setup thread once the icon is up (in
terminal mode, before the loop). ``tests/test_startup_imports.py`` keeps it that way.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from movebreak.environment import Environment, ExitStatus
from movebreak.i18n import _

if TYPE_CHECKING:
    from movebreak.running.core import AppCore
    from movebreak.running.interface import UserInterface
    from movebreak.running.scheduler import Scheduler

log = logging.getLogger("movebreak")

def private_files() -> None:
    """Every file the running app creates from here on (lock, log, SQLite's -wal/-shm) is user-only."""
    import os

    if hasattr(os, "umask"):
        os.umask(0o077)


def setup_logging(env: Environment) -> None:
    """The rotating log, 0600; a link or another user's file in its place is one line, never followed;
    a log that cannot be written (disk full) is said once in one line, never as a traceback."""
    from movebreak.logfile import QuietRotatingFileHandler
    from movebreak.storage_files import ensure_own_file

    ensure_own_file(env.paths.log_file)
    handler = QuietRotatingFileHandler(env.paths.log_file, maxBytes=512 * 1024, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("movebreak")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("apscheduler").addHandler(handler)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def run_app(env: Environment, *, force_terminal: bool = False) -> int:
    from movebreak.instance import InstanceLock, running_pid

    env.paths.ensure()
    private_files()
    lock = InstanceLock(env.paths.lock_file)
    if not lock.acquire():
        pid = running_pid(env.paths.lock_file)
        env.out(_("movebreak is already running (PID {pid}).", pid=pid) if pid and pid > 0
                else _("movebreak is already running."))
        return ExitStatus.OK
    try:
        return _run_locked(env, force_terminal=force_terminal)
    finally:
        lock.release()


def _run_locked(env: Environment, *, force_terminal: bool) -> int:
    from movebreak.tray.backend import choose_backend

    if force_terminal:
        backend, reason = None, _("--no-tray was given")
    else:
        choice = choose_backend(env.environ, env.platform)
        if not choice.usable:  # an X display without a tray yet: show the icon once one starts
            from movebreak.tray.dock import waiting_choice

            choice = waiting_choice(env, choice)
        backend, reason = (choice, None) if choice.usable else (None, choice.detail)
        _local_display_only(env)
    startup = Startup(env, terminal=backend is None)
    if backend is None:
        from movebreak.terminal import TerminalUI

        _first_run_in_terminal(env)
        settings = startup.configure()
        ui: UserInterface = TerminalUI(startup.build(), env.stdout, env.stdin)
    else:
        from movebreak.tray import TrayUI

        # The icon goes up first; the history, catalogue and scheduler follow from the tray's
        # setup thread once it is shown: a tray app starts at every login and should show at once.
        ui = TrayUI(None, backend, env, start=startup.launch)
    restore_signals, startup.wake = _stop_on_signals(ui)
    failed: BaseException | None = None
    unsaved = 0
    try:
        if backend is None:
            env.out(_("movebreak: no tray ({reason}); running in terminal mode. Ctrl+C quits.", reason=reason))
            from movebreak.running.safe import safe

            status = safe(startup.notifications.check)
            if status is not None and not status.ok and settings.notifications.enabled:
                env.out(_("movebreak: reminders appear here only: {detail}", detail=status.detail))
            startup.start(ui)
        ui.run()
        failed = getattr(ui, "start_error", None)
    except KeyboardInterrupt:
        pass
    finally:
        unsaved = startup.stop()
        restore_signals()
    if failed is not None:
        raise failed
    if unsaved:
        return ExitStatus.ERROR  # startup.stop said what was lost
    env.out(_("movebreak stopped; everything is saved."))
    return ExitStatus.OK


def _first_run_in_terminal(env: Environment) -> None:
    """Never run here before: ask what is at hand where someone can answer (Ctrl-C quits without
    writing), else say in one line how to set it and go on."""
    from movebreak.usecases.first_run import how_to_set_it, is_first_run

    if not is_first_run(env.paths):
        return
    from movebreak.terminal import is_interactive, setup_in_terminal

    if is_interactive(env.stdin, env.stdout):
        setup_in_terminal(env)
    else:
        env.out(how_to_set_it())


def _welcome(env: Environment, ui, core) -> None:
    """The tray's first run: the welcome window in its own thread; what it saves reaches the
    running app at once (the app follows its config file: a tick now reads it)."""
    from movebreak.tray.welcome import WelcomeWindow

    def saved(lines) -> None:
        core.wake()
        ui.notice(" ".join(lines))

    WelcomeWindow(env, ui.notice, saved).open()


def _local_display_only(env: Environment) -> None:
    """pystray and GTK connect to DISPLAY themselves: give them the Unix-socket form, so a
    missing socket is an error instead of a fall-back to TCP (movebreak opens no network
    connection)."""
    import os

    display = env.environ.get("DISPLAY")
    if not display or env.environ is not os.environ:
        return
    from movebreak.x11display import unix_display

    local = unix_display(display)
    if local is not None and local != display:
        os.environ["DISPLAY"] = local


class Startup:
    """The app's parts: history, catalogue, notifier, idle probe, core and scheduler.

    Terminal mode builds them before its loop; the tray builds them from pystray's setup
    thread once the icon is shown (``launch``). ``stop`` takes down whatever was built.
    """

    def __init__(self, env: Environment, *, terminal: bool) -> None:
        self.env = env
        self.settings = None  # AppSettings, read from the config file at the start
        self.config = None  # the config file's values then (the running app follows later changes)
        self.terminal = terminal
        self.store = None
        self.core: AppCore | None = None
        self.scheduler: Scheduler | None = None
        self.notifications = None
        self.wake: WakeOnSignal | None = None  # set by run_app when a CLI command may wake the app

    def configure(self):
        """Read the config file (once) and use its language; its problems go to stderr."""
        if self.settings is None:
            from movebreak import config, i18n

            self.config = cfg = config.load(self.env.paths.config_file)
            self.settings = settings = cfg.app_settings()
            i18n.set_language(i18n.detect_language(settings.language, self.env.environ))
            for problem in cfg.problems:
                self.env.err(f"movebreak: {problem}")
        return self.settings

    def build(self) -> AppCore:
        from movebreak.i18n import current_language
        from movebreak.idle import make_probe
        from movebreak.notify import make_notifier
        from movebreak.running.core import AppCore
        from movebreak.running.safe import safe
        from movebreak.usecases.history import load_catalogue, open_store

        env = self.env
        settings = self.configure()
        setup_logging(env)
        self.store = store = open_store(env)
        catalogue = load_catalogue(env)
        self.notifications = make_notifier(env.environ, env.platform, stream=env.stdout)
        desktop = self.notifications.primary
        # In terminal mode the UI prints every reminder itself; the desktop gets it where it can.
        notifier = desktop if self.terminal else self.notifications
        probe = make_probe(env.environ, env.platform, pause=settings.engine.wait_for_pause,
                           away=settings.engine.natural_break_after)
        from movebreak.running.quiet import LazyQuietSources
        from movebreak.running.settings_file import SettingsFile

        self.core = core = AppCore(settings=settings, store=store, clock=env.clock, tz=env.tz, probe=probe,
                                   notifier=notifier, catalogue=catalogue, language=current_language(),
                                   quiet=LazyQuietSources(settings.quiet.during, env.environ),
                                   settings_file=SettingsFile(env.paths.config_file, self.config, env.environ))
        if store.recovered_from is not None:
            message = _("Your history file was damaged. It was kept as {saved}; a new one was started.",
                        saved=store.recovered_from)
            log.warning(message)
            safe(lambda: desktop.send("movebreak", message, timeout=timedelta(seconds=30)))
        return core

    def start(self, ui: UserInterface) -> None:
        from movebreak.running.scheduler import Scheduler

        assert self.core is not None
        self.core.ui = ui
        self.scheduler = scheduler = Scheduler(self.core, self.settings.poll_every,
                                               on_error=lambda e: log.exception("tick failed"))
        self.core.wake = scheduler.wake
        if self.wake is not None:
            import os

            self.wake.start(scheduler.wake)
            self.core.status_extra = {"pid": os.getpid(), "wake": self.wake.name}
        scheduler.start()

    def launch(self, ui) -> None:
        """For the tray: build, hand the core to the UI, then start ticking (and, on the very
        first run, open the welcome window: the history does not exist before ``build``)."""
        from movebreak.usecases.first_run import is_first_run

        first = is_first_run(self.env.paths)
        core = self.build()
        ui.attach(core)
        self.start(ui)
        if first and self.env.platform == "darwin":  # Tk must own the main thread there: say how instead
            from movebreak.usecases.first_run import how_to_set_it

            ui.notice(how_to_set_it())
        elif first:
            _welcome(self.env, ui, core)

    def stop(self) -> int:
        """Stop ticking and save; returns how many records could not be saved (and says so)."""
        if self.wake is not None:
            self.wake.close()
        if self.scheduler is not None:
            self.scheduler.stop()
            self.scheduler = None
        unsaved = 0
        if self.core is not None:
            unsaved = self.core.shutdown()
            problem = self.core.storage_problem
            self.core = None
            if unsaved:
                self._say_unsaved(unsaved, problem)
        if self.store is not None:
            self.store.close()
            self.store = None
        return unsaved

    def _say_unsaved(self, count: int, problem: str | None) -> None:
        from movebreak.running.safe import safe

        message = _("movebreak stopped, but {count} records could not be saved: {problem}",
                    count=count, problem=problem or "?")
        self.env.err(message)
        if not self.terminal and self.notifications is not None:
            # from the tray, the user may never see a terminal: the desktop says it too
            safe(lambda: self.notifications.primary.send("movebreak", message, timeout=timedelta(seconds=30)))


def _stop_on_signals(ui: UserInterface):
    """Ctrl+C and SIGTERM (logout, `kill`) stop the UI loop, so shutdown saves as on Quit;
    SIGUSR1 (a CLI command that just wrote for the app) makes it tick at once.

    Returns the function that restores the previous handlers, and the ``WakeOnSignal``
    (None where signals cannot be handled here)."""
    import signal

    def handler(signum, frame) -> None:
        ui.stop()

    previous = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            previous[number] = signal.signal(number, handler)
        except ValueError:  # not the main thread (tests calling run_app from a thread)
            pass
    wake = None
    if hasattr(signal, "SIGUSR1"):
        candidate = WakeOnSignal("SIGUSR1")
        try:
            previous[signal.SIGUSR1] = signal.signal(signal.SIGUSR1, candidate.signalled)
            wake = candidate
        except ValueError:
            pass

    def restore() -> None:
        for number, old in previous.items():
            # a late SIGUSR1 from a CLI command must not kill the app by its default action
            signal.signal(number, signal.SIG_IGN if wake is not None and number == signal.SIGUSR1 else old)

    return restore, wake


class WakeOnSignal:
    """A CLI command signals the app after writing for it (a snooze it waits to be answered,
    a logged break): the app ticks at once instead of at the next poll.

    The signal handler only sets an event (it runs on the main thread, which may hold any
    lock); a thread of its own, asleep until then, asks the scheduler for the tick."""

    def __init__(self, name: str) -> None:
        import threading

        self.name = name
        self._event = threading.Event()
        self._closed = False
        self._thread = None

    def signalled(self, signum=None, frame=None) -> None:
        self._event.set()

    def start(self, wake) -> None:
        import threading

        def loop() -> None:
            while True:
                self._event.wait()
                self._event.clear()
                if self._closed:
                    return
                try:
                    wake()
                except Exception:
                    log.exception("waking the scheduler failed")

        self._thread = threading.Thread(target=loop, name="movebreak-wake", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._closed = True
        self._event.set()

