import os
import signal
import subprocess
import sys

from movebreak.instance import InstanceLock, running_pid


def test_only_one_holder_and_pid_is_readable(tmp_path):
    path = tmp_path / "movebreak.lock"
    first = InstanceLock(path)
    assert first.acquire()
    assert InstanceLock(path).acquire() is False
    assert running_pid(path) == os.getpid()
    first.release()
    assert running_pid(path) is None
    assert InstanceLock(path).acquire()


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path):
    path = tmp_path / "movebreak.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from movebreak.instance import InstanceLock;"
         "assert InstanceLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)", str(path)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    assert running_pid(path) == holder.pid
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    assert path.exists()  # the file is left behind, as after a crash
    assert running_pid(path) is None
    assert InstanceLock(path).acquire()


def test_a_deleted_lock_file_still_keeps_a_second_holder_out(tmp_path):
    """The data folder is locked too: a new lock file in place of a deleted one is not enough."""
    path = tmp_path / "movebreak.lock"
    first = InstanceLock(path)
    assert first.acquire()
    path.unlink()
    assert InstanceLock(path).acquire() is False
    assert running_pid(path) == -1  # running, PID unknown
    first.release()
    assert running_pid(path) is None
    assert InstanceLock(path).acquire()


def test_a_link_in_place_of_the_lock_file_is_refused_and_its_target_kept(tmp_path):
    import pytest

    from movebreak.errors import MovebreakError

    target = tmp_path / "precious"
    target.write_bytes(b"keep me\n")
    path = tmp_path / "movebreak.lock"
    path.symlink_to(target)
    with pytest.raises(MovebreakError, match="symbolic link"):
        InstanceLock(path).acquire()
    assert target.read_bytes() == b"keep me\n"
    assert InstanceLock(tmp_path / "other.lock").acquire()  # the folder lock was let go
