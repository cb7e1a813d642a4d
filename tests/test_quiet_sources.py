"""The quiet sources that need no desktop: calls from a /proc tree (a made-up one in tmp_path,
and the real one), Windows through fakes of shell32 and winreg behind the real code, the
platforms and sessions where a source cannot work, and doctor's lines from the real CLI."""

from __future__ import annotations

import ctypes
import logging
import os
import time
from pathlib import Path

import pytest

from movebreak.quiet import QuietSources
from movebreak.quiet.proc import ProcCapture, _real_uid
from movebreak.quiet.windows import CONSENT_STORE
from test_run_terminal import run_cli

ME = 1000


# -- calls on Linux: a /proc tree like the real one ------------------------------------------------


class FakeProc:
    """``<root>/<pid>/fd/<n>`` symlinks to what each process holds, ``<pid>/status`` with its Uid: line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir()
        (root / "self").symlink_to(str(os.getpid()))  # non-numeric entries are not processes

    def process(self, pid: int, uid: int, *targets: str) -> Path:
        folder = self.root / str(pid)
        (folder / "fd").mkdir(parents=True)
        (folder / "status").write_text(
            f"Name:\tapp{pid}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\n"
            f"PPid:\t1\nTracerPid:\t0\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\nGid:\t{uid}\t{uid}\t{uid}\t{uid}\n"
            f"FDSize:\t64\n")
        for number, target in enumerate(("/dev/null", "socket:[4711]", "pipe:[815]", *targets)):
            (folder / "fd" / str(number)).symlink_to(target)
        return folder

    def sources(self) -> QuietSources:
        return QuietSources(["calls"], {}, platform="linux", proc=self.root, uid=ME)


@pytest.fixture
def proc(tmp_path) -> FakeProc:
    fake = FakeProc(tmp_path / "proc")
    fake.process(1, 0, "/dev/snd/pcmC0D0c")  # another user's (root's) recording: not a call of ours
    fake.process(40, ME, "/dev/snd/pcmC0D0p", "/dev/snd/controlC0", "/home/me/music.ogg")  # playback only
    fake.process(41, ME, "/dev/snd/pcmC0D0c (deleted)", "/dev/video-not-a-camera")
    return fake


def test_playback_and_other_users_recordings_are_not_a_call(proc):
    assert proc.sources().check() is None


@pytest.mark.parametrize("device", ["/dev/snd/pcmC0D0c", "/dev/snd/pcmC1D12c", "/dev/video0", "/dev/video10"])
def test_a_capture_device_held_by_one_of_my_processes_is_a_call(proc, device):
    proc.process(4242, ME, "/dev/snd/pcmC0D0p", device)
    assert proc.sources().check() == "call"
    assert ProcCapture(proc.root, ME, own_pid=1).holder() == 4242


def test_movebreaks_own_process_does_not_count(proc):
    proc.process(os.getpid(), ME, "/dev/video0")
    assert proc.sources().check() is None


def test_processes_without_readable_files_are_skipped_silently(proc, caplog):
    (proc.root / "77").mkdir()  # a kernel thread or a process that just exited: no fd, no status
    broken = proc.process(78, ME, "/dev/snd/pcmC0D0c")
    (broken / "status").unlink()  # gone in between: its owner is unknown, so not ours
    with caplog.at_level(logging.DEBUG):
        assert proc.sources().check() is None
    assert caplog.records == []


def test_the_uid_comes_from_the_real_status_format():
    assert _real_uid("/proc/self") == os.getuid()


def test_calls_report_what_they_read(proc, tmp_path):
    [report] = proc.sources().report()
    assert (report.source, report.works_here) == ("calls", True)
    assert report.detail.startswith(f"reads in {proc.root} whether one of your programs holds a microphone")
    [missing] = QuietSources(["calls"], {}, platform="linux", proc=tmp_path / "nowhere").report()
    assert (missing.works_here, missing.detail) == (False, f"{tmp_path / 'nowhere'} is missing here: not detected")
    assert QuietSources(["calls"], {}, platform="linux", proc=tmp_path / "nowhere").check() is None


def test_the_real_proc_scan_runs_and_finds_no_call_here():
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("no /proc on this system")
    capture = ProcCapture(Path("/proc"), os.getuid(), os.getpid())
    capture.holder()  # warm up
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        assert capture.holder() is None  # no microphone or camera in use on a test machine
        timings.append(time.perf_counter() - started)
    processes = sum(1 for name in os.listdir("/proc") if name.isdigit())
    print(f"real /proc scan: {processes} processes, median {sorted(timings)[5] * 1000:.2f} ms")
    assert QuietSources(["calls"], os.environ, platform="linux").check() is None


# -- Windows: the real ctypes and registry code against fakes -------------------------------------


class FakeShell32:
    def __init__(self, state: int, result: int = 0) -> None:
        self.state = state
        self.result = result
        self.calls = 0

    def SHQueryUserNotificationState(self, ref) -> int:  # noqa: N802 - the Win32 name
        self.calls += 1
        state = ref._obj  # what ctypes.byref() points at
        assert isinstance(state, ctypes.c_int)
        state.value = self.state
        return self.result


class FakeKey:
    def __init__(self, tree: dict) -> None:
        self.tree = tree

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


class FakeRegistry:
    """The parts of ``winreg`` the calls source uses, over a nested dict (values are non-dict leaves)."""

    HKEY_CURRENT_USER = object()

    def __init__(self, tree: dict) -> None:
        self.root = tree

    def OpenKey(self, parent, path: str) -> FakeKey:  # noqa: N802 - winreg's names
        node = self.root if parent is self.HKEY_CURRENT_USER else parent.tree
        for part in path.split("\\"):
            node = node.get(part) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                raise FileNotFoundError(2, "The system cannot find the file specified")
        return FakeKey(node)

    def EnumKey(self, key: FakeKey, index: int) -> str:  # noqa: N802
        names = [name for name, value in key.tree.items() if isinstance(value, dict)]
        if index >= len(names):
            raise OSError(259, "No more data is available")
        return names[index]

    def QueryValueEx(self, key: FakeKey, name: str):  # noqa: N802
        if name not in key.tree or isinstance(key.tree[name], dict):
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key.tree[name], 11  # REG_QWORD


def consent_store(microphone: dict | None = None, webcam: dict | None = None) -> dict:
    store = {"location": {"Value": "Allow"}}
    if microphone is not None:
        store["microphone"] = {"Value": "Allow", **microphone}
    if webcam is not None:
        store["webcam"] = {"Value": "Allow", **webcam}
    tree: dict = {}
    node = tree
    for part in CONSENT_STORE.split("\\"):
        node = node.setdefault(part, {})
    node.update(store)
    return tree


STOPPED = {"LastUsedTimeStart": 133_500_000_000_000_000, "LastUsedTimeStop": 133_500_000_600_000_000}
IN_USE = {"LastUsedTimeStart": 133_500_000_000_000_000, "LastUsedTimeStop": 0}


def windows(enabled, shell32=None, registry=None) -> QuietSources:
    return QuietSources(enabled, {}, platform="win32", shell32=shell32 or FakeShell32(5),
                        registry=registry or FakeRegistry(consent_store()))


@pytest.mark.parametrize(
    ("state", "reason"),
    [(1, None), (2, "fullscreen"), (3, "fullscreen"), (4, "do-not-disturb"), (5, None), (6, "do-not-disturb"),
     (7, None)],  # 1 not present (locked), 5 accepts notifications, 7 a Store app in front (windowed today)
)
def test_windows_notification_state_holds_for_quiet_time_presentations_and_fullscreen(state, reason):
    assert windows(["do-not-disturb", "fullscreen"], shell32=FakeShell32(state)).check() == reason


def test_windows_fullscreen_does_not_hold_when_only_do_not_disturb_is_on():
    assert windows(["do-not-disturb"], shell32=FakeShell32(3)).check() is None
    assert windows(["fullscreen"], shell32=FakeShell32(6)).check() is None


def test_a_failing_shell_query_counts_as_not_quiet_is_logged_once_and_reported(caplog):
    shell32 = FakeShell32(6, result=-2147467259)  # E_FAIL as ctypes' c_int gives it
    sources = windows(["do-not-disturb"], shell32=shell32)
    with caplog.at_level(logging.WARNING, logger="movebreak.quiet"):
        assert sources.check() is None and sources.check() is None
    assert shell32.calls == 2
    assert [r.getMessage() for r in caplog.records] == [
        "quiet source do-not-disturb does not work: SHQueryUserNotificationState returned 0x80004005"]
    [report] = sources.report()
    assert (report.works_here, report.detail) == (
        False, "SHQueryUserNotificationState failed (SHQueryUserNotificationState returned 0x80004005): not detected")


@pytest.mark.parametrize(
    ("store", "reason"),
    [
        (consent_store(), None),
        (consent_store(microphone={"Microsoft.SkypeApp_kzf8qxf38zg5c": STOPPED}), None),
        (consent_store(webcam={"Microsoft.WindowsCamera_8wekyb3d8bbwe": IN_USE}), "call"),
        (consent_store(microphone={"NonPackaged": {"C:#Program Files#Zoom#bin#Zoom.exe": IN_USE}}), "call"),
        (consent_store(microphone={"NonPackaged": {"C:#Program Files#Zoom#bin#Zoom.exe": STOPPED,
                                                   "C:#Tools#never-used.exe": {}}}), None),
        (consent_store(microphone={"NonPackaged": {"C:#a.exe": {"LastUsedTimeStart": 0, "LastUsedTimeStop": 0}}}),
         None),
        ({}, None),  # no ConsentStore (before Windows 10 1903)
    ],
)
def test_windows_calls_come_from_the_consent_store(store, reason):
    assert windows(["calls"], registry=FakeRegistry(store)).check() == reason


def test_windows_reports_say_what_they_read():
    reports = windows(["do-not-disturb", "fullscreen", "calls"]).report()
    assert [(r.source, r.works_here) for r in reports] == [
        ("do-not-disturb", True), ("fullscreen", True), ("calls", True)]
    assert "presentation mode or quiet time" in reports[0].detail
    assert "CapabilityAccessManager" in reports[2].detail
    [missing] = windows(["calls"], registry=FakeRegistry({})).report()
    assert not missing.works_here and missing.detail.startswith("Windows keeps no record of microphone and camera use")


def test_on_this_linux_the_windows_sources_say_they_cannot_work():
    reports = QuietSources(["do-not-disturb", "calls"], {}, platform="win32").report()
    assert [(r.works_here, r.detail) for r in reports] == [
        (False, "SHQueryUserNotificationState failed (this is not Windows (ctypes.windll is missing)): not detected"),
        (False, "this is not Windows (winreg is missing): not detected")]


# -- where a source cannot work ---------------------------------------------------------------


def test_macos_knows_no_source_and_says_so():
    sources = QuietSources(["do-not-disturb", "fullscreen", "calls"], {}, platform="darwin")
    assert sources.check() is None
    assert [(r.source, r.works_here, r.detail) for r in sources.report()] == [
        (name, False, "movebreak cannot read this on darwin yet: not detected")
        for name in ("do-not-disturb", "fullscreen", "calls")]


def test_wayland_without_x11_cannot_see_fullscreen_windows():
    sources = QuietSources(["fullscreen"], {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"},
                           platform="linux")
    assert sources.check() is None
    assert sources.report()[0].detail == (
        "a Wayland session without X11 does not tell apps which window is fullscreen: not detected")


def test_no_session_bus_and_no_display_are_not_known_and_said():
    sources = QuietSources(["do-not-disturb", "fullscreen"], {}, platform="linux")
    assert sources.check() is None
    assert [r.detail for r in sources.report()] == [
        "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): not detected",
        "no X11 DISPLAY is set: not detected"]


def test_a_display_over_the_network_is_never_connected_to():
    [report] = QuietSources(["fullscreen"], {"DISPLAY": "localhost:0"}, platform="linux").report()
    assert not report.works_here and "names an X server over the network" in report.detail


# -- doctor ------------------------------------------------------------------------------------


def test_doctor_names_each_enabled_quiet_source_and_whether_it_works(tmp_path):
    home = tmp_path / "home"
    result = run_cli(home, "doctor")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "quiet" in line]
    assert lines == [
        "--   quiet during do-not-disturb: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): not detected",
        "--   quiet during fullscreen: no X11 DISPLAY is set: not detected",
        "OK   quiet during calls: reads in /proc whether one of your programs holds a microphone (/dev/snd/pcm…c) "
        "or camera (/dev/video…) open",
    ], result.stdout


def test_doctor_follows_the_config(tmp_path):
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    config = home / "config" / "config.toml"
    config.write_text('[reminders]\nquiet_during = ["calls"]\n')
    lines = [line for line in run_cli(home, "doctor").stdout.splitlines() if "quiet" in line]
    assert [line.split(":")[0] for line in lines] == ["OK   quiet during calls"]
    config.write_text("[reminders]\nquiet_during = []\n")
    lines = [line for line in run_cli(home, "doctor").stdout.splitlines() if "quiet" in line]
    assert lines == ["OK   quiet: no source is enabled (reminders.quiet_during = []): reminders are never held"]


def test_doctor_speaks_german_about_quiet_sources(tmp_path):
    result = run_cli(tmp_path / "home", "doctor", env_extra={"LANG": "de_DE.UTF-8"})
    assert "--       Ruhe bei fullscreen: kein X11-DISPLAY gesetzt: nicht erkannt" in result.stdout, result.stdout
