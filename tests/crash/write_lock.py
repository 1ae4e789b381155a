"""Whether a process is inside a write transaction on a focus database.

Shared by the tests that SIGKILL a writer mid-write (tests/crash/crash_test.py,
tests/e2e/board_e2e_test.py): they wait for this signal from the process
instead of guessing with a timer.
"""


def holds_write_lock(pid):
    """Whether `pid` holds SQLite's write lock on a WAL database: a POSIX
    lock on byte 120 of the -shm file (WALINDEX_LOCK_OFFSET + WAL_WRITE_LOCK),
    taken by BEGIN IMMEDIATE and held until the commit is done. The focus
    processes open one database, so the byte identifies it."""
    wanted = str(pid)
    with open("/proc/locks", encoding="ascii") as f:
        for line in f:
            # "1: POSIX  ADVISORY  WRITE 15302 fe:00:10953050 120 120";
            # waiters have "->" after the number and do not match.
            p = line.split()
            if (len(p) == 8 and p[3] == "WRITE" and p[4] == wanted
                    and p[6] == "120" and p[7] == "120"):
                return True
    return False
