"""File safety (issue 15): the files the user names, movebreak's own files, files it only reads.

Everything runs the real CLI or the real app (`movebreak run --no-tray`) on real files.

* A file the user names (`summary --html FILE`, `export -o FILE`) is exactly that file: its
  folder is never chmodded, created or replaced; an existing file is overwritten in place
  (same inode, mode, hard links); a pipe or device is written through; a folder or a
  missing folder is one line. A new file is 0600 (it holds history, as `--help` says).
* movebreak's own files (lock, history, -wal, -shm, log, the config it writes, the cached
  summary) are never used through a symbolic link, nor when they belong to another user:
  one line naming the file, the link's target untouched.
* A deleted lock file does not let a second app in (the data folder is locked too).
* A pipe, `/dev/zero` or a folder as config.toml / exercises.toml is one line, no hang.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from test_run_terminal import App, headless_env, home  # noqa: F401  (home is a fixture)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file kinds and modes")

SRC = Path(__file__).resolve().parents[1] / "src"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def cli(home: Path, *args: str, timeout: float = 30, **extra_env: str) -> subprocess.CompletedProcess:
    env = headless_env(home)
    env.update(extra_env)
    return subprocess.run([sys.executable, "-m", "movebreak", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> str:
    """Exit 1 and exactly one stderr line, `movebreak: ...`, holding every fragment; no traceback."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("movebreak: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def write_to(home: Path, command: str, target: Path | str) -> subprocess.CompletedProcess:
    """`export -o TARGET` or `summary --html TARGET`."""
    if command == "export":
        return cli(home, "export", "-o", str(target))
    return cli(home, "summary", "--html", str(target))


def looks_written(command: str, data: bytes) -> bool:
    if command == "export":
        return "sitting_spans" in json.loads(data)
    return data.rstrip().endswith(b"</html>")


# --- files the user names -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["export", "summary"])
@pytest.mark.parametrize("folder_mode", [0o755, 0o1777, 0o750], ids=["0755", "1777-like-tmp", "0750-like-home"])
def test_a_new_file_is_made_0600_and_its_folder_is_left_alone(home, tmp_path, command, folder_mode):
    folder = tmp_path / "out"
    folder.mkdir()
    folder.chmod(folder_mode)
    target = folder / "week.out"
    result = write_to(home, command, target)
    assert result.returncode == 0, result.stderr
    assert mode(folder) == folder_mode  # the old code made the folder 0700
    assert mode(target) == 0o600  # holds history: user-only, as --help says
    assert looks_written(command, target.read_bytes())
    assert os.listdir(folder) == ["week.out"]  # no temporary file beside it


def test_an_existing_file_is_overwritten_in_place_keeping_inode_mode_and_links(home, tmp_path):
    target = tmp_path / "export.json"
    target.write_text("old " * 5000)
    target.chmod(0o640)
    twin = tmp_path / "twin.json"
    os.link(target, twin)
    inode = target.stat().st_ino
    result = write_to(home, "export", target)
    assert result.returncode == 0, result.stderr
    assert target.stat().st_ino == inode  # the same file, not a new one renamed over it
    assert mode(target) == 0o640 and target.stat().st_nlink == 2
    assert twin.read_bytes() == target.read_bytes()
    assert looks_written("export", target.read_bytes())


def test_a_named_pipe_is_written_through_and_stays_a_pipe(home, tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    spare = tmp_path / "same-pipe"
    os.link(pipe, spare)  # to release the reader should the pipe's name be replaced
    received: list[bytes] = []

    def read() -> None:
        with open(pipe, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = write_to(home, "summary", pipe)
    reader.join(timeout=20)
    if reader.is_alive():
        os.close(os.open(spare, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=5)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert received and looks_written("summary", received[0])


@pytest.mark.skipif(not IS_ROOT, reason="making a device node (a copy of /dev/null) needs root")
def test_a_device_is_written_through_and_stays_a_device(home, tmp_path):
    folder = tmp_path / "devices"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    null = folder / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = write_to(home, "export", null)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.lstat(null).st_rdev == os.makedev(1, 3)
    assert mode(folder) == 0o755 and os.listdir(folder) == ["null"]


def test_dev_stdout_is_written_through(home):
    """The JSON reaches the pipe that is our stdout, and nothing else does ("Wrote ..." is left out).

    (Not run against the old code on purpose: as root it made /dev 0700 and put a regular file
    in place of /dev/stdout.)"""
    dev = os.stat("/dev")
    result = cli(home, "export", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert "sitting_spans" in json.loads(result.stdout)
    assert os.path.islink("/dev/stdout") and os.stat("/dev").st_mode == dev.st_mode


def test_a_folder_as_the_target_is_one_line(home, tmp_path):
    shared = tmp_path / "shared"
    (shared / "out").mkdir(parents=True)
    shared.chmod(0o755)
    result = write_to(home, "export", shared / "out")
    one_line_error(result, str(shared / "out"), "is a folder")
    assert mode(shared) == 0o755 and os.listdir(shared) == ["out"] and os.listdir(shared / "out") == []


def test_a_missing_folder_is_one_line_and_never_created(home, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    result = write_to(home, "summary", shared / "missing" / "week.html")
    one_line_error(result, str(shared / "missing"), "no such folder")
    assert os.listdir(shared) == [] and mode(shared) == 0o755


def test_a_link_the_user_names_is_written_through_and_stays_a_link(home, tmp_path):
    real = tmp_path / "synced" / "week.html"
    real.parent.mkdir()
    real.write_text("old page")
    link = tmp_path / "week.html"
    link.symlink_to(real)
    result = write_to(home, "summary", link)
    assert result.returncode == 0, result.stderr
    assert os.readlink(link) == str(real)  # the old code put a regular file in the link's place
    assert looks_written("summary", real.read_bytes())


def test_a_link_leading_nowhere_is_one_line_and_nothing_is_created(home, tmp_path):
    link = tmp_path / "x.json"
    link.symlink_to(tmp_path / "elsewhere" / "x.json")
    one_line_error(write_to(home, "export", link), str(link), "does not exist")
    assert os.path.islink(link) and not (tmp_path / "elsewhere").exists()


@pytest.mark.skipif(not IS_ROOT, reason="a link owned by another user needs root to make")
def test_a_link_another_user_planted_in_a_sticky_folder_is_refused(home, tmp_path, precious):
    """/tmp-style trap: nobody links /tmp/x.json to one of your files before you export there."""
    import pwd

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    trap = shared / "x.json"
    trap.symlink_to(precious)
    nobody = pwd.getpwnam("nobody")
    os.lchown(trap, nobody.pw_uid, nobody.pw_gid)
    one_line_error(write_to(home, "export", trap), str(trap), "another user")
    assert precious.read_bytes() == PRECIOUS and os.path.islink(trap)


def _python_for(user: str, env: dict[str, str]) -> str | None:
    """A Python interpreter the user can run and import movebreak with (the venv may live under /root)."""
    for candidate in (sys.executable, shutil.which("python3"), "/usr/bin/python3"):
        if not candidate:
            continue
        probe = subprocess.run(["setpriv", f"--reuid={user}", "--regid=nogroup", "--clear-groups", candidate,
                                "-c", "import movebreak.cli, sqlite3"], env=env, capture_output=True, timeout=30)
        if probe.returncode == 0:
            return candidate
    return None


@pytest.mark.skipif(not IS_ROOT, reason="running the CLI as an ordinary user (nobody) needs root here")
def test_an_ordinary_user_writes_into_a_shared_sticky_folder_and_their_home(tmp_path):
    import pwd

    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is missing")
    nobody = pwd.getpwnam("nobody")
    base = Path(tempfile.mkdtemp(prefix="movebreak-nobody-"))  # outside pytest's 0700 tmp folders
    try:
        base.chmod(0o755)
        shared = base / "shared"
        shared.mkdir()
        shared.chmod(0o1777)  # like /tmp: root's, world-writable, sticky
        user_home = base / "user-home"
        user_home.mkdir()
        user_home.chmod(0o751)
        os.chown(user_home, nobody.pw_uid, nobody.pw_gid)
        env = headless_env(user_home / "movebreak")
        env.update(PYTHONPATH=str(SRC), HOME=str(user_home))
        python = _python_for("nobody", env)
        if python is None:
            pytest.skip("no Python interpreter that user nobody may run with movebreak's source")

        def as_nobody(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", python,
                                   "-m", "movebreak", *args], env=env, capture_output=True, text=True, timeout=30,
                                  cwd=user_home)

        for args, target in ((("export", "-o", str(shared / "x.json")), shared / "x.json"),
                             (("summary", "--html", str(shared / "week.html")), shared / "week.html"),
                             (("export", "-o", str(user_home / "x.json")), user_home / "x.json")):
            result = as_nobody(*args)
            assert result.returncode == 0, (args, result.stderr)  # the old code: "Operation not permitted"
            found = os.lstat(target)
            assert found.st_uid == nobody.pw_uid and stat.S_IMODE(found.st_mode) == 0o600
        assert mode(shared) == 0o1777 and os.lstat(shared).st_uid == 0
        assert mode(user_home) == 0o751
        assert mode(user_home / "movebreak" / "data") == 0o700  # movebreak's own folders: user-only
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --- movebreak's own files ---------------------------------------------------------------------------------------

OWN = ["data/movebreak.lock", "data/history.sqlite3", "data/history.sqlite3-wal", "data/history.sqlite3-shm",
       "logs/movebreak.log"]
PRECIOUS = b"precious bytes that are not movebreak's\n" * 64


@pytest.fixture
def precious(tmp_path) -> Path:
    target = tmp_path / "precious.txt"
    target.write_bytes(PRECIOUS)
    target.chmod(0o644)
    return target


def run_app_briefly(home: Path) -> subprocess.CompletedProcess:
    """`movebreak run --no-tray`, which must refuse at once; one that starts is stopped after 20 s."""
    return cli(home, "run", "--no-tray", timeout=20)


@pytest.mark.parametrize("name", OWN)
def test_a_link_in_place_of_an_own_file_is_one_line_and_never_followed(home, precious, name):
    link = home / name
    link.parent.mkdir(parents=True, exist_ok=True)
    if name.endswith(("-wal", "-shm")):  # the history exists; its side file is the link
        assert cli(home, "log", "--minutes", "1").returncode == 0
        for side in ("-wal", "-shm"):
            Path(str(home / "data" / "history.sqlite3") + side).unlink(missing_ok=True)
    link.symlink_to(precious)
    result = run_app_briefly(home)
    one_line_error(result, str(link), "symbolic link")
    assert precious.read_bytes() == PRECIOUS and mode(precious) == 0o644
    assert os.readlink(link) == str(precious)


def test_a_link_in_place_of_the_history_stops_a_cli_command_too(home, precious):
    (home / "data").mkdir()
    (home / "data" / "history.sqlite3").symlink_to(precious)
    one_line_error(cli(home, "log", "--minutes", "1"), "history.sqlite3", "symbolic link")
    assert precious.read_bytes() == PRECIOUS and mode(precious) == 0o644


@pytest.mark.parametrize("command", [("summary", "--open"), ("config", "edit")], ids=["cached-summary", "config"])
def test_a_link_in_place_of_a_file_movebreak_writes_is_one_line(home, tmp_path, precious, command):
    """The cached summary page and the default config file are replaced atomically; a link in
    their place (even one leading nowhere) is refused, not replaced and not followed."""
    if command[0] == "summary":
        link = home / "cache" / "summary.html"
        link.parent.mkdir()
        link.symlink_to(precious)
    else:
        link = home / "config" / "config.toml"
        link.unlink()
        link.symlink_to(tmp_path / "nowhere.toml")  # config edit writes a default where none exists
    result = cli(home, *command, BROWSER="true", EDITOR="true")
    one_line_error(result, str(link), "symbolic link")
    assert os.path.islink(link)
    assert precious.read_bytes() == PRECIOUS and not (tmp_path / "nowhere.toml").exists()


@pytest.mark.skipif(not IS_ROOT, reason="a file of another user needs root to make")
@pytest.mark.parametrize("name", ["data/movebreak.lock", "data/history.sqlite3", "logs/movebreak.log"])
def test_another_users_file_in_place_of_an_own_file_is_one_line_and_untouched(home, name):
    import pwd

    nobody = pwd.getpwnam("nobody")
    foreign = home / name
    foreign.parent.mkdir(parents=True, exist_ok=True)
    foreign.write_bytes(PRECIOUS)
    foreign.chmod(0o644)
    os.chown(foreign, nobody.pw_uid, nobody.pw_gid)
    result = run_app_briefly(home)
    one_line_error(result, str(foreign), "another user")
    found = os.lstat(foreign)
    assert foreign.read_bytes() == PRECIOUS and stat.S_IMODE(found.st_mode) == 0o644
    assert found.st_uid == nobody.pw_uid


@pytest.mark.skipif(not IS_ROOT, reason="a folder of another user needs root to make")
def test_another_users_folder_as_an_own_folder_is_one_line_and_not_chmodded(home):
    import pwd

    nobody = pwd.getpwnam("nobody")
    data = home / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    os.chown(data, nobody.pw_uid, nobody.pw_gid)
    one_line_error(cli(home, "log", "--minutes", "1"), str(data), "another user")
    assert mode(data) == 0o755 and os.listdir(data) == []


def test_a_deleted_lock_file_does_not_let_a_second_app_in(home):
    first = App(home, "--no-tray")
    second = None
    try:
        first.wait_for("running in terminal mode")
        (home / "data" / "movebreak.lock").unlink()
        second = subprocess.Popen([sys.executable, "-m", "movebreak", "run", "--no-tray"], env=headless_env(home),
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            out, err = second.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail("a second app started although one was running (its lock file had been deleted)")
        assert second.returncode == 0 and "already running" in out, (out, err)
        status = json.loads(cli(home, "status", "--json").stdout)
        assert status["running"] is True
    finally:
        if second is not None and second.poll() is None:
            second.kill()
            second.communicate()
        out, err = first.interrupt()
    assert first.proc.returncode == 0 and "Traceback" not in err, err


# --- files movebreak only reads ------------------------------------------------------------------------------------


def limit_memory() -> None:
    """1 GiB of address space: the old reader of /dev/zero fails fast instead of filling the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("kind", ["fifo", "link-to-dev-zero", "folder"])
@pytest.mark.parametrize("name", ["config.toml", "exercises.toml"])
def test_a_pipe_a_device_or_a_folder_as_config_or_catalogue_is_one_line_without_a_hang(home, name, kind):
    path = home / "config" / name
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    args = ["config", "check"] if name == "config.toml" else ["exercises"]
    try:
        result = subprocess.run([sys.executable, "-m", "movebreak", *args], env=headless_env(home),
                                capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL,
                                preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`movebreak {' '.join(args)}` hung on {kind} as {name}")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "not a regular file" in lines[0], result.stderr
    assert "MemoryError" not in result.stderr and "Traceback" not in result.stderr
    assert result.returncode == (1 if name == "config.toml" else 0)
    expected = {"fifo": stat.S_ISFIFO, "folder": stat.S_ISDIR, "link-to-dev-zero": stat.S_ISLNK}[kind]
    assert expected(os.lstat(path).st_mode)  # left as it was
