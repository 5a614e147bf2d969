# SPDX-License-Identifier: GPL-2.0
"""Drive lab-vm's interactive shell through a pseudo-terminal, as a person
would: wait for the prompt, type a command, check its output, type exit 3.
Prints the session and "exit=N ok=True|False"; used by test-basic.

usage: /usr/bin/python3 pty-shell.py LAB-VM [LAB-VM OPTIONS...]
"""
import os
import pty
import select
import sys
import time

labvm = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execv(labvm, [labvm] + sys.argv[2:])

seen = b""


def expect(token, timeout):
    """Read the terminal until token shows up; False on timeout or EOF."""
    global seen
    end = time.monotonic() + timeout
    while token not in seen:
        left = end - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return False
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        seen += data
    return True


# The guest drops what is typed before its shell reads the serial port.
ok = expect(b"labvm-", 120) and expect(b"# ", 10)
if ok:
    os.write(fd, b"echo shell-$TT_KERNEL-$((6*7))\r")
    ok = expect(b"-42", 30)
    os.write(fd, b"exit 3\r")
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
print("\nexit=%d ok=%s" % (os.waitstatus_to_exitcode(status), ok))
