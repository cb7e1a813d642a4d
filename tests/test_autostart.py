"""`movebreak autostart`: one contract for every OS backend, then each backend's own details.

Linux runs for real in a temporary XDG_CONFIG_HOME; macOS (launchctl) and Windows (the
registry) run with their OS calls replaced by fakes behind the same interface.
"""

from __future__ import annotations

import ast
import io
import os
import plistlib
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from movebreak import autostart as autostart_module
from movebreak.autostart import APP_ID, launch_command, make_autostart
from movebreak.autostart.macos import LaunchAgentAutostart, agent_plist
from movebreak.autostart.windows import APPROVED_KEY, RUN_KEY, VALUE_NAME, RunKeyAutostart
from movebreak.autostart.xdg import XdgAutostart, entry_text, exec_line, read_entry
from movebreak.cli import main
from movebreak.environment import Environment
from movebreak.errors import MovebreakError

REPO = Path(__file__).resolve().parents[1]
COMMAND = ["/opt/move break/bin/movebreak", "run"]


# -- fakes for the OS calls ----------------------------------------------------------------------


class FakeLaunchctl:
    """Records launchctl calls and keeps launchd's "disabled" overrides like the real one."""

    def __init__(self, uid: int = 501) -> None:
        self.uid = uid
        self.calls: list[list[str]] = []
        self.disabled: set[str] = set()
        self.fail: set[str] = set()

    def __call__(self, argv):
        argv = list(argv)
        self.calls.append(argv)
        verb = argv[0]
        if verb in self.fail:
            return 5, f"{verb}: Input/output error"
        if verb == "enable":
            self.disabled.discard(argv[1].rsplit("/", 1)[1])
        elif verb == "disable":
            self.disabled.add(argv[1].rsplit("/", 1)[1])
        elif verb == "print-disabled":
            lines = [f'\t"{label}" => disabled' for label in sorted(self.disabled)]
            return 0, "disabled services = {\n" + "\n".join(lines) + "\n}"
        return 0, ""


class FakeRegistry:
    """HKEY_CURRENT_USER as a dictionary: {(key, name): data}."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], object] = {}

    def get(self, key, name):
        return self.values.get((key, name))

    def set_string(self, key, name, data):
        assert isinstance(data, str)
        self.values[(key, name)] = data

    def delete(self, key, name):
        self.values.pop((key, name), None)


def entries(backend) -> list[str]:
    """What each backend has written: files in its folder, or registry values."""
    if isinstance(backend, XdgAutostart):
        return sorted(p.name for p in backend.folder.glob("*")) if backend.folder.exists() else []
    if isinstance(backend, LaunchAgentAutostart):
        return sorted(p.name for p in backend.agents_dir.glob("*")) if backend.agents_dir.exists() else []
    return sorted(f"{key}\\{name}" for key, name in backend.registry.values)


@pytest.fixture(params=["xdg", "launchagent", "runkey"])
def backend(request, tmp_path):
    if request.param == "xdg":
        return XdgAutostart(tmp_path / "config", [tmp_path / "etc-xdg"])
    if request.param == "launchagent":
        return LaunchAgentAutostart(tmp_path / "Library" / "LaunchAgents", 501, FakeLaunchctl())
    return RunKeyAutostart(FakeRegistry())


# -- the contract, on every backend ------------------------------------------------------------------


def test_off_until_enabled(backend):
    state = backend.status()
    assert state.enabled is False
    assert state.where
    assert entries(backend) == []


def test_enable_twice_makes_one_entry_with_the_command(backend):
    first = backend.enable(COMMAND)
    after_first = entries(backend)
    second = backend.enable(COMMAND)
    assert first == second and second.enabled
    assert entries(backend) == after_first and len(after_first) == 1
    assert "/opt/move break/bin/movebreak" in second.command.replace("\\", "")
    assert backend.status() == second


def test_enable_again_updates_the_command(backend):
    backend.enable(COMMAND)
    state = backend.enable(["/usr/bin/movebreak", "run"])
    assert "/usr/bin/movebreak" in state.command and "move break" not in state.command
    assert len(entries(backend)) == 1


def test_disable_removes_it_and_disabling_again_is_fine(backend):
    backend.enable(COMMAND)
    assert backend.disable().enabled is False
    assert backend.disable().enabled is False
    assert backend.status().enabled is False
    assert entries(backend) == []


def test_files_are_user_only(backend):
    backend.enable(COMMAND)
    if isinstance(backend, RunKeyAutostart) or sys.platform == "win32":
        pytest.skip("the registry has no file mode")
    path = backend.path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# -- the command that starts at login ----------------------------------------------------------------


def executable_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_frozen_starts_the_standalone_executable(tmp_path):
    exe = str(tmp_path / "movebreak")
    assert launch_command(platform="linux", executable=exe, frozen=True, which=lambda n: None) == [exe, "run"]


def test_frozen_on_windows_prefers_the_windowless_twin(tmp_path):
    console = tmp_path / "movebreak.exe"
    windowless = tmp_path / "movebreakw.exe"
    windowless.write_text("")
    assert launch_command(platform="win32", executable=str(console), frozen=True) == [str(windowless), "run"]


def test_the_console_script_beside_this_interpreter_comes_first(tmp_path):
    python = executable_file(tmp_path / "venv" / "bin" / "python")
    script = executable_file(tmp_path / "venv" / "bin" / "movebreak")
    command = launch_command(platform="linux", executable=str(python), frozen=False,
                             which=lambda name: "/elsewhere/movebreak")
    assert command == [str(script), "run"]


def test_then_the_one_on_path_as_an_absolute_path(tmp_path):
    python = executable_file(tmp_path / "py" / "python3")
    command = launch_command(platform="linux", executable=str(python), frozen=False,
                             which=lambda name: "/home/u/.local/bin/movebreak")
    assert command == ["/home/u/.local/bin/movebreak", "run"]


def test_else_python_dash_m(tmp_path):
    python = str(executable_file(tmp_path / "py" / "python3"))
    assert launch_command(platform="darwin", executable=python, frozen=False, which=lambda name: None) == \
        [python, "-m", "movebreak", "run"]


def test_windows_uses_pythonw_so_no_console_opens(tmp_path):
    python = tmp_path / "Scripts" / "python.exe"
    pythonw = tmp_path / "Scripts" / "pythonw.exe"
    pythonw.parent.mkdir()
    pythonw.write_text("")
    assert launch_command(platform="win32", executable=str(python), frozen=False) == \
        [str(pythonw), "-m", "movebreak", "run"]


# -- Linux: the XDG autostart file, for real --------------------------------------------------------


def test_xdg_config_home_decides_and_movebreak_home_does_not(tmp_path):
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home"),
               "MOVEBREAK_HOME": str(tmp_path / "mb")}
    backend = make_autostart("linux", environ)
    assert backend.path == tmp_path / "xdg" / "autostart" / f"{APP_ID}.desktop"


@pytest.mark.parametrize("configured", [None, "", "relative/dir"])
def test_without_an_absolute_xdg_config_home_it_is_home_dot_config(tmp_path, configured):
    environ = {"HOME": str(tmp_path / "home")}
    if configured is not None:
        environ["XDG_CONFIG_HOME"] = configured
    assert XdgAutostart.for_user(environ).path == tmp_path / "home" / ".config" / "autostart" / f"{APP_ID}.desktop"


def test_an_existing_autostart_folder_keeps_its_mode(tmp_path):
    folder = tmp_path / "config" / "autostart"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    XdgAutostart(tmp_path / "config").enable(COMMAND)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (["/usr/bin/movebreak", "run"], "/usr/bin/movebreak run"),
        (["/opt/move break/movebreak", "run"], '"/opt/move break/movebreak" run'),
        (["/home/a$b/x", "run"], '"/home/a\\\\$b/x" run'),  # \$ in the spec, \\$ in the key file
        (["/srv/100%/movebreak", "run"], "/srv/100%%/movebreak run"),
        (["/x/it's", "run"], "\"/x/it's\" run"),
    ],
)
def test_exec_lines_are_quoted_as_the_spec_asks(command, line):
    assert exec_line(command) == line


def test_a_system_wide_entry_is_switched_off_with_hidden_true(tmp_path):
    system = tmp_path / "etc-xdg" / "autostart" / f"{APP_ID}.desktop"
    system.parent.mkdir(parents=True)
    shutil.copy(REPO / "packaging" / "linux" / "autostart" / f"{APP_ID}.desktop", system)
    backend = XdgAutostart(tmp_path / "config", [tmp_path / "etc-xdg"])
    assert backend.status().enabled and backend.status().where == str(system)
    state = backend.disable()
    assert state.enabled is False and state.where == str(backend.path)
    assert read_entry(backend.path)["Hidden"] == "true"
    assert str(system) in state.note
    assert backend.enable(COMMAND).enabled
    assert "Hidden" not in read_entry(backend.path)


def test_an_entry_switched_off_by_the_desktop_counts_as_off(tmp_path):
    backend = XdgAutostart(tmp_path / "config")
    backend.enable(COMMAND)
    text = backend.path.read_text().replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false")
    backend.path.write_text(text)
    assert backend.status().enabled is False


def test_the_written_entry_matches_the_shipped_autostart_entry_but_for_exec_and_icon():
    shipped = REPO / "packaging" / "linux" / "autostart" / f"{APP_ID}.desktop"
    ours = read_entry_text(entry_text(COMMAND, Path("/icons/movebreak.png")))
    theirs = read_entry(shipped)
    differ = {key for key in ours.keys() | theirs.keys() if ours.get(key) != theirs.get(key)}
    assert differ == {"Exec", "Icon"}


def read_entry_text(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def test_the_written_entry_passes_desktop_file_validate(tmp_path):
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is missing (Debian package desktop-file-utils)")
    backend = XdgAutostart(tmp_path / "config")
    backend.enable(COMMAND)
    result = subprocess.run(["desktop-file-validate", str(backend.path)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


# -- macOS: the LaunchAgent, launchctl faked -------------------------------------------------------------


def test_launchagent_plist_and_launchctl_calls(tmp_path):
    launchctl = FakeLaunchctl(uid=501)
    backend = LaunchAgentAutostart.for_user({"HOME": str(tmp_path)}, launchctl)
    backend.uid = 501
    backend.enable(COMMAND)
    assert backend.path == tmp_path / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    agent = plistlib.loads(backend.path.read_bytes())
    assert agent["Label"] == APP_ID
    assert agent["ProgramArguments"] == COMMAND
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] is False
    assert ["enable", f"gui/501/{APP_ID}"] in launchctl.calls
    # Neither enable nor disable starts or stops the running app.
    backend.disable()
    assert ["disable", f"gui/501/{APP_ID}"] in launchctl.calls
    assert not {"bootstrap", "bootout", "load", "unload", "kickstart"} & {call[0] for call in launchctl.calls}


def test_launchagent_switched_off_in_login_items_is_off_until_enabled_again(tmp_path):
    launchctl = FakeLaunchctl()
    backend = LaunchAgentAutostart(tmp_path, 501, launchctl)
    backend.enable(COMMAND)
    launchctl.disabled.add(APP_ID)  # the user switched it off in System Settings
    state = backend.status()
    assert state.enabled is False and "Login Items" in state.note
    assert backend.enable(COMMAND).enabled


def test_launchctl_failing_on_enable_is_one_line(tmp_path):
    launchctl = FakeLaunchctl()
    launchctl.fail.add("enable")
    with pytest.raises(MovebreakError) as caught:
        LaunchAgentAutostart(tmp_path, 501, launchctl).enable(COMMAND)
    assert "\n" not in str(caught.value) and "launchctl enable" in str(caught.value)


def test_a_damaged_plist_is_one_line(tmp_path):
    backend = LaunchAgentAutostart(tmp_path, 501, FakeLaunchctl())
    backend.path.write_text("not a plist")
    with pytest.raises(MovebreakError, match="not a valid LaunchAgent plist"):
        backend.status()


def test_the_shipped_launchagent_template_has_the_same_keys():
    template = plistlib.loads((REPO / "packaging" / "macos" / f"{APP_ID}.plist").read_bytes())
    ours = plistlib.loads(agent_plist(["@MOVEBREAK_EXECUTABLE@", "run"]))
    assert template == ours


# -- Windows: the Run key, the registry faked ---------------------------------------------------------


def test_run_key_value_is_a_quoted_command_line():
    registry = FakeRegistry()
    RunKeyAutostart(registry).enable(["C:\\Program Files\\movebreak\\movebreakw.exe", "run"])
    assert registry.values[(RUN_KEY, VALUE_NAME)] == '"C:\\Program Files\\movebreak\\movebreakw.exe" run'


def test_run_key_switched_off_in_task_manager():
    registry = FakeRegistry()
    backend = RunKeyAutostart(registry)
    backend.enable(COMMAND)
    registry.values[(APPROVED_KEY, VALUE_NAME)] = b"\x03" + bytes(11)  # what Task Manager writes
    state = backend.status()
    assert state.enabled is False and "Task Manager" in state.note
    assert backend.enable(COMMAND).enabled  # the user's explicit "on" clears it
    assert (APPROVED_KEY, VALUE_NAME) not in registry.values
    registry.values[(APPROVED_KEY, VALUE_NAME)] = b"\x02" + bytes(11)  # switched on again there
    assert backend.status().enabled
    backend.disable()
    assert registry.values == {}


# -- the CLI -----------------------------------------------------------------------------------------


def run_cli(tmp_path, *argv, lang="C", platform="linux"):
    out, err = io.StringIO(), io.StringIO()
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "XDG_CONFIG_DIRS": str(tmp_path / "etc-xdg"),
               "HOME": str(tmp_path / "home"), "MOVEBREAK_HOME": str(tmp_path / "mb"), "LANG": lang}
    env = Environment(stdout=out, stderr=err, stdin=None, environ=environ, platform=platform)
    try:
        code = main(["autostart", *argv], env)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_cli_enable_status_disable(tmp_path):
    target = tmp_path / "xdg" / "autostart" / f"{APP_ID}.desktop"
    code, out, err = run_cli(tmp_path, "status")
    assert (code, err) == (0, "") and out.startswith(f"Autostart: off ({target})")
    code, out, err = run_cli(tmp_path, "enable")
    assert code == 0 and f"movebreak will start at login: {target}" in out
    assert "Command: /" in out
    assert run_cli(tmp_path, "enable")[0] == 0
    assert len(list(target.parent.iterdir())) == 1
    assert run_cli(tmp_path, "status")[1].startswith(f"Autostart: on ({target})")
    assert not (tmp_path / "mb").exists()  # autostart touches no movebreak data
    code, out, err = run_cli(tmp_path, "disable")
    assert code == 0 and "no longer start at login" in out and not target.exists()
    code, out, err = run_cli(tmp_path, "disable")
    assert code == 0 and "was not set to start at login" in out


def test_cli_speaks_german(tmp_path):
    code, out, _ = run_cli(tmp_path, "status", lang="de_DE.UTF-8")
    assert code == 0 and out.startswith("Autostart: aus")


def test_cli_needs_an_action(tmp_path):
    code, out, err = run_cli(tmp_path)
    assert code == 2 and "ACTION" in err


def test_cli_write_error_is_one_line(tmp_path):
    (tmp_path / "xdg").write_text("a file where a folder should be")
    code, out, err = run_cli(tmp_path, "enable")
    assert code == 1 and err.count("\n") == 1 and err.startswith("movebreak: ") and "Traceback" not in err


def test_cli_on_macos_and_windows_uses_their_backend(tmp_path, monkeypatch):
    made = {}

    def fake_make(platform, environ=None):
        made["platform"] = platform
        return RunKeyAutostart(FakeRegistry()) if platform == "win32" else \
            LaunchAgentAutostart(tmp_path / "agents", 501, FakeLaunchctl())

    monkeypatch.setattr(autostart_module, "make_autostart", fake_make)
    code, out, _ = run_cli(tmp_path, "enable", platform="win32")
    assert code == 0 and made["platform"] == "win32" and "HKEY_CURRENT_USER" in out
    code, out, _ = run_cli(tmp_path, "enable", platform="darwin")
    assert code == 0 and f"{APP_ID}.plist" in out


# -- the app never writes autostart by itself; imports stay cheap ---------------------------------------------


def test_only_the_autostart_command_touches_autostart():
    source = REPO / "src" / "movebreak"
    users = []
    for path in source.rglob("*.py"):
        # commands.py: `movebreak autostart`; config_file.py: only the user's own answer to "Start at login?"
        # (in `setup`, the welcome window or the settings window)
        if path.parent == source / "autostart" or path in (source / "cli" / "commands.py",
                                                           source / "usecases" / "config_file.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("movebreak.autostart"):
                users.append(str(path))
            if isinstance(node, ast.Import) and any(a.name.startswith("movebreak.autostart") for a in node.names):
                users.append(str(path))
    assert users == []


def test_importing_the_backends_loads_no_os_library():
    code = ("import sys, movebreak.autostart, movebreak.autostart.xdg, movebreak.autostart.macos, "
            "movebreak.autostart.windows; "
            "loaded = [m for m in ('winreg', 'plistlib', 'subprocess') if m in sys.modules]; print(loaded)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert result.stdout.strip() == "[]"
