"""Upload bodies for the server benchmarks: `n` tarballs of one asv result file each (commit
`i` of a linear history of `n`, the benchmark's time stepping from 1 to 2 at the middle), with
the history's commit order, as `agora bench upload` packs them."""

import io
import json
import tarfile


def tarballs(n):
    """The `n` upload bodies (gzip tarballs), commit 0 first."""
    sha = lambda i: f"{i:08x}{7:032x}"
    revisions = "".join(f"{i}\t{sha(i)}\t{1000 + i}\n" for i in range(n)).encode()
    branch = "".join(f"{sha(i)}\n" for i in reversed(range(n))).encode()
    benchmarks = json.dumps({"version": 2, "b.time_x": {"name": "b.time_x", "params": [],
        "param_names": [], "version": "1", "unit": "seconds", "type": "time"}}).encode()
    machine = json.dumps({"machine": "m", "version": 1}).encode()

    def result(i):
        value = 1.0 if i < n // 2 else 2.0
        return json.dumps({"commit_hash": sha(i), "env_name": "py3.11", "date": 1_000_000 + i,
            "params": {"machine": "m", "python": "3.11"}, "python": "3.11", "requirements": {},
            "env_vars": {}, "version": 2,
            "result_columns": ["result", "params", "version", "started_at", "duration",
                               "stats_ci_99_a", "stats_ci_99_b"],
            "results": {"b.time_x": [[value], [], "1", 2_000_000 + i, 1.0, [value * 0.99],
                                     [value * 1.01]]}}).encode()

    def tarball(i):
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for name, data in [("results/benchmarks.json", benchmarks), ("results/m/machine.json", machine),
                               (f"results/m/{sha(i)[:8]}-py3.11.json", result(i)),
                               ("revisions.tsv", revisions), ("branch-main-first-parent.txt", branch)]:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return buffer.getvalue()

    return [tarball(i) for i in range(n)]
