"""``python -m core.supervisor`` (what ``make run`` starts the web server and the worker
with): one command; Ctrl-C stops every part; one part dying stops the rest, loudly."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.servers import ROOT

# A part that runs until told to stop, and says when it has been (and how often).
PART = (
    "import signal, sys, time\n"
    "told = []\n"
    "signal.signal(signal.SIGTERM, lambda *_: told.append(1))\n"
    "signal.signal(signal.SIGINT, lambda *_: told.append(1))\n"
    "sys.stdout.write('started\\n'); sys.stdout.flush()\n"
    "while not told: time.sleep(0.05)\n"
    "time.sleep(0.3)\n"  # finishing its job
    "sys.stdout.write(f'stopped after {len(told)} signal(s)\\n'); sys.stdout.flush()\n"
)


def supervisor(*commands):
    return subprocess.Popen(
        [sys.executable, "-m", "core.supervisor", *commands],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, like a terminal's job
    )


@pytest.fixture
def two_parts(tmp_path):
    script = tmp_path / "part.py"
    script.write_text(PART)
    return [f"{sys.executable} {script} web", f"{sys.executable} {script} worker"]


def wait_started(process, parts):
    for _ in range(parts):
        assert process.stdout.readline().strip() == "started"


@pytest.mark.parametrize(
    "stop",
    [
        # Ctrl-C: the terminal sends SIGINT to its whole foreground process group.
        lambda process: os.killpg(process.pid, signal.SIGINT),
        lambda process: process.send_signal(signal.SIGTERM),  # a service manager
    ],
    ids=["ctrl-c", "sigterm"],
)
def test_ctrl_c_stops_every_part_once_and_gracefully(two_parts, stop):
    process = supervisor(*two_parts)
    wait_started(process, 2)
    stop(process)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert stdout.splitlines() == ["stopped after 1 signal(s)"] * 2


def test_when_one_part_dies_the_others_stop_and_the_command_fails(two_parts, tmp_path):
    dying = f"{sys.executable} -c 'import time; time.sleep(0.5); raise SystemExit(3)'"
    started = time.monotonic()
    process = supervisor(two_parts[0], dying)
    wait_started(process, 1)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 3
    assert time.monotonic() - started < 10
    assert "stopped after 1 signal(s)" in stdout  # the web part was stopped, not left behind
    assert "stopped (exit status 3)" in stderr


def test_a_part_that_ends_cleanly_still_fails_the_command(two_parts):
    process = supervisor(two_parts[0], "true")
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 1
    assert "true stopped (exit status 0)" in stderr


def test_nothing_is_left_running(two_parts):
    process = supervisor(*two_parts)
    wait_started(process, 2)
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
    ).stdout.split()
    assert len(children) == 2
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=20)
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)
