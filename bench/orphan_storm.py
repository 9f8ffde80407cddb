"""Bench helper, run as the init's COMMAND: makes N orphans that exit at once, then waits until
the init has reaped every one (no zombie left in this pid namespace) and exits.
Usage: orphan_storm.py N"""
import os
import sys
import time


def zombies():
    n = 0
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                        n += 1
            except OSError:
                pass
    return n


count = int(sys.argv[1])
for _ in range(count):
    pid = os.fork()
    if pid == 0:
        if os.fork() == 0:
            os._exit(0)  # the grandchild: an orphan of the init once its parent is gone
        os._exit(0)
    os.waitpid(pid, 0)
while zombies():
    time.sleep(0.001)
