"""Generate the search benchmark corpus: issues and PRs with comments, as JSON lines.

Usage: python3 bench/search_corpus.py OUT.jsonl [ITEMS] [COMMENTS]   (default 200000 1000000)

Deterministic (seeded). Each line is one item in agora-search's Document shape (repo, number,
kind, title, body, state, labels, author, commenters, created, updated, closed, comment_count,
comments) plus `comment_authors`, parallel to `comments`, for the SQLite side's comments
table. Words follow a Zipf law over a 20,000-word vocabulary whose ranks 40-240 are the
issue-tracker words the benchmark queries use (sparse, segfault, memory, leak, ...), so they
are common but not stop-word common. Users too are Zipf-distributed (user0 is the busiest).
"""

import bisect
import datetime as dt
import itertools
import json
import random
import sys

DOMAIN = """sparse matrix segfault memory leak crash crashes crashed regression performance
eigenvalue eigenvalues wheel wheels build builds fix fixes fixed windows linux macos python
numpy scipy array arrays dtype float integer overflow test tests failing failure error errors
warning deprecation docs documentation example examples typo install installation compiler
gcc clang meson cython pythran openblas lapack blas solver optimize minimize integrate interp
signal fft stats distribution random seed kernel gradient jacobian hessian tolerance
convergence iteration iterations slow faster speedup benchmark benchmarks release version
upgrade downgrade import module function method class attribute keyword argument parameter
default value values shape broadcast index indexing slice slicing copy view reshape transpose
dot product norm inverse determinant decomposition cholesky svd qr lu eig eigh eigsh arpack
propack superlu umfpack csr csc coo lil dok bsr dia format conversion sum mean median
variance std histogram percentile quantile interpolation spline bspline cubic linear
quadratic polynomial root roots bracket newton brent bisect fsolve leastsq curve fit fitting
residual residuals bound bounds constraint constraints linprog milp highs simplex interior
point dual primal feasible infeasible unbounded sparse-aware threadpool threads thread gil
parallel workers pool""".split()


def vocabulary(rng):
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "xi", "ze", "pu", "ga", "fe", "di",
                 "so", "ba", "qu", "wi", "ho", "je", "ly"]
    seen = set(DOMAIN)
    filler = []
    while len(filler) < 20000 - len(DOMAIN):
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            filler.append(word)
    # Ranks 0-39 filler (the 'the/a/of' of this language), 40-40+len(DOMAIN) the domain words.
    return filler[:40] + DOMAIN + filler[40:]


def zipf_cum_weights(n, s=1.05):
    return list(itertools.accumulate(1.0 / (rank + 1) ** s for rank in range(n)))


REPOS = ["scipy/scipy", "numpy/numpy", "scikit-image/scikit-image", "networkx/networkx",
         "matplotlib/matplotlib", "pandas-dev/pandas", "scikit-learn/scikit-learn",
         "pydata/xarray", "ipython/ipython", "zarr-developers/zarr-python"]
LABELS = ["bug", "enhancement", "documentation", "good first issue", "build", "performance",
          "scipy.sparse", "scipy.stats", "scipy.optimize", "scipy.linalg", "needs-decision",
          "regression", "maintenance", "CI", "testing", "deprecation", "wontfix", "duplicate",
          "question", "help wanted", "api", "windows", "macos", "linux", "wheels", "release",
          "backport-candidate", "defect", "task", "sprint"]


def main():
    out = sys.argv[1]
    n_items = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    n_comments = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    rng = random.Random(20261201)
    vocab = vocabulary(rng)
    word_cw = zipf_cum_weights(len(vocab))
    users = [f"user{i}" for i in range(5000)]
    user_cw = zipf_cum_weights(len(users), 0.9)
    label_cw = zipf_cum_weights(len(LABELS), 0.8)

    def words(k):
        return " ".join(rng.choices(vocab, cum_weights=word_cw, k=k))

    def sentence_text(k):
        text = words(k)
        return text[:1].upper() + text[1:] + "."

    # Comments per item: an exponential spread scaled to the total asked for.
    weights = [rng.expovariate(1.0) for _ in range(n_items)]
    scale = n_comments / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(n_items), n_comments - sum(counts)):
        counts[i] += 1
    start = dt.datetime(2012, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    end = dt.datetime(2024, 12, 31, tzinfo=dt.timezone.utc).timestamp()

    def iso(t):
        return dt.datetime.fromtimestamp(int(t), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    numbers = {repo: 0 for repo in REPOS}
    repo_cw = zipf_cum_weights(len(REPOS), 0.7)
    with open(out, "w") as f:
        for i in range(n_items):
            repo = rng.choices(REPOS, cum_weights=repo_cw)[0]
            numbers[repo] += 1
            kind = "pr" if rng.random() < 0.45 else "issue"
            r = rng.random()
            if r < 0.2:
                state = "open"
            elif kind == "pr" and r < 0.75:
                state = "merged"
            else:
                state = "closed"
            created = rng.uniform(start, end)
            updated = min(end, created + rng.expovariate(1 / (120 * 86400)))
            closed = rng.uniform(created, updated) if state != "open" else None
            n = counts[i]
            comment_authors = rng.choices(users, cum_weights=user_cw, k=n)
            comments = [sentence_text(rng.randint(5, 40)) for _ in range(n)]
            labels = sorted(set(rng.choices(LABELS, cum_weights=label_cw, k=rng.randint(0, 3))))
            item = {
                "repo": repo,
                "number": numbers[repo],
                "kind": kind,
                "title": sentence_text(rng.randint(4, 12)).rstrip("."),
                "body": " ".join(sentence_text(rng.randint(5, 25)) for _ in range(rng.randint(1, 5))),
                "state": state,
                "labels": labels,
                "author": rng.choices(users, cum_weights=user_cw)[0],
                "commenters": sorted(set(comment_authors)),
                "created": iso(created),
                "updated": iso(updated),
                "closed": iso(closed) if closed is not None else None,
                "comment_count": n,
                "comments": comments,
                "comment_authors": comment_authors,
            }
            f.write(json.dumps(item, separators=(",", ":")))
            f.write("\n")


if __name__ == "__main__":
    main()
