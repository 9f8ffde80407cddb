"""Holds a process's exit back from its parent, for the init tests: a stop hook that cannot be
reaped promptly (as one stuck in uninterruptible sleep).

Usage: ptrace_hold.py PID SECONDS READYFILE
Attaches to PID with PTRACE_SEIZE (the process keeps running) and never waits for it: once it is
killed, its zombie is visible only to this tracer, so its parent's waitpid() does not see it
(Linux: "a zombie ptracee is only visible to its ptracer"). Writes READYFILE when attached, and
lets go after SECONDS (or when killed), which hands the zombie back to the parent.
"""
import ctypes
import sys
import time

PTRACE_SEIZE = 0x4206

libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
pid, seconds, ready = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
if libc.ptrace(PTRACE_SEIZE, pid, None, None) != 0:
    sys.exit(f"ptrace_hold: PTRACE_SEIZE {pid}: errno {ctypes.get_errno()}")
with open(ready, "w") as f:
    f.write("held\n")
time.sleep(seconds)
