"""Run several commands as one: ``python -m core.supervisor 'web server' 'worker'``.

``make run`` starts the web server and the background worker this way. Ctrl-C (or a
SIGTERM) stops them all, each told once, gracefully (a job being run is finished);
if one stops by itself, the others are stopped too and the supervisor exits with a
failure, so the command as a whole never runs half of itself.
"""

import shlex
import signal
import subprocess
import sys
import time

# How long stopped commands may take to finish what they are doing before being killed.
GRACE_SECONDS = 30


def supervise(commands):
    """Run ``commands`` (argument lists) until one ends or we are told to stop; the exit
    status: 0 when told to stop, else the failed command's (1 if it ended with 0)."""
    stop_requested = []
    signal.signal(signal.SIGINT, lambda *_: stop_requested.append(True))
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.append(True))
    # Each in a session of its own: Ctrl-C reaches only us, and each command hears of it
    # once, from us (a second signal would make the worker abandon the job it runs).
    # The commands are the operator's own (the Makefile's), not outside input.
    children = [
        subprocess.Popen(command, start_new_session=True)  # noqa: S603
        for command in commands
    ]
    ended = []
    while not stop_requested and not ended:
        time.sleep(0.1)
        ended = [child for child in children if child.poll() is not None]
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    if ended and not stop_requested:
        first = ended[0]
        print(
            f"{shlex.join(first.args)} stopped (exit status {first.returncode}).", file=sys.stderr
        )
        if first.returncode < 0:  # killed by a signal: the shell's convention
            return 128 - first.returncode
        return first.returncode or 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m core.supervisor 'command one' ['command two' …]")
    sys.exit(supervise([shlex.split(command) for command in sys.argv[1:]]))
