"""A stand-in COMMAND for the init tests: records every signal it receives.

Usage: sigcatcher.py OUTFILE [EXIT_SIGNAL]
Writes "ready <pid>" to OUTFILE, then one line "sig N" per signal received; exits 0 after
EXIT_SIGNAL (a number) arrives; with no EXIT_SIGNAL it runs until killed.
"""
import os
import signal
import sys
import time

out = open(sys.argv[1], "a", buffering=1)
exit_sig = int(sys.argv[2]) if len(sys.argv) > 2 else None


def handler(sig, _frame):
    out.write(f"sig {sig}\n")
    if sig == exit_sig:
        sys.exit(0)


for s in range(1, signal.SIGRTMAX + 1):
    if s in (signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD):
        continue
    try:
        signal.signal(s, handler)
    except (OSError, ValueError, RuntimeError):
        pass
out.write(f"ready {os.getpid()}\n")
while True:
    time.sleep(3600)
