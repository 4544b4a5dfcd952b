#!/usr/bin/env python3
"""The peak memory of a command and all of its processes together (standard library only).

    python3 bench/peak_rss.py COMMAND [ARG ...]

Runs COMMAND (output discarded) and every 5 ms sums the resident set (VmRSS) of it and of
every process descended from it, as /proc shows them; prints the largest sum seen, in KiB,
and exits with the command's status. A tool that forks workers (asv publish's pool) is
counted with its workers, where /usr/bin/time's maximum resident set counts only the
largest single process. Sampling can miss a peak shorter than 5 ms: the figure is a lower
bound, close for commands that hold their memory for longer than that.
"""

import os
import subprocess
import sys
import time


def children_of():
    """Every live process's parent, by pid."""
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the fields after it.
        fields = stat[stat.rfind(b")") + 2 :].split()
        parents[int(name)] = int(fields[1])
    return parents


def rss_kib(pid):
    """The resident set of a process in KiB, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree(root, parents):
    """root and its descendants."""
    out = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in out and pid not in out:
                out.add(pid)
                grew = True
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(rss_kib(pid) for pid in tree(proc.pid, children_of())))
        time.sleep(0.005)
    print(peak)
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
