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
