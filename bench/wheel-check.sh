#!/usr/bin/env bash
# Benchmark: `agora wheel check` against its anchors, auditwheel show + check-wheel-contents +
# twine check, on the real numpy 2.4.6 and scipy 1.17.1 cp311 manylinux wheels.
#
# The anchors are installed by this script into the git-ignored venv at the root of the
# repository (.venv, or $VENV): auditwheel 6.8.2, check-wheel-contents 0.6.3, twine 7.0.0.
# The wheels are the corpus wheels of the tests, cached in target/corpus-wheels/ (fetched with
# `pip download --no-deps --only-binary=:all: --python-version 3.11 numpy==2.4.6 scipy==1.17.1`
# into a temp dir and renamed into place when missing).
#
# Before timing, the answers are compared (a mismatch aborts):
#   - the platform tag auditwheel show reports == agora's linux.computed, per wheel;
#   - check-wheel-contents' failed checks (W001–W010) == agora's WC301–WC310 codes, and the
#     W004 paths are the same;
#   - twine check passes <=> agora has no WC2xx error.
# Commands, each run $RUNS times (default 5) after a warm-up:
#   anchors, 2 wheels     for w in W1 W2; do auditwheel show $w; done; check-wheel-contents W1 W2; twine check W1 W2
#   agora, 2 wheels       agora wheel check W1 W2 --format json
# and one row per anchor alone, so the cost of each is visible.
# The result is the ratio of medians, anchors / agora. Record it in bench/RESULTS.md.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/agora-bench.XXXXXX")"
INDEX_PID=""
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
RUNS="${RUNS:-5}"

VENV="${VENV:-$ROOT/.venv}"
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
fi
echo "installing the anchors into $VENV…" >&2
"$VENV/bin/pip" install --quiet auditwheel==6.8.2 check-wheel-contents==0.6.3 twine==7.0.0 >&2
AUDITWHEEL="$VENV/bin/auditwheel"
CWC="$VENV/bin/check-wheel-contents"
TWINE="$VENV/bin/twine"

corpus_wheels "$VENV/bin/pip"
W1="$NUMPY_WHEEL"
W2="$SCIPY_WHEEL"

echo "building agora (release)…" >&2
cargo build --release --quiet -p agora
AGORA="${CARGO_TARGET_DIR:-$ROOT/target}/release/agora"
unset AGORA_CONFIG AGORA_DB AGORA_INDEX_URL
mkdir -p "$WORK/agora" "$WORK/out"

# Sanity: the same answers.
(cd "$WORK/agora" && "$AGORA" wheel check "$W1" "$W2" --format json >"$WORK/out/agora.json") || [[ $? -eq 1 ]]
for w in "$W1" "$W2"; do
    "$AUDITWHEEL" show "$w" >"$WORK/out/$(basename "$w").auditwheel.txt" 2>&1
done
"$CWC" "$W1" "$W2" >"$WORK/out/cwc.txt" 2>&1 || true
twine_ok=1
"$TWINE" check "$W1" "$W2" >"$WORK/out/twine.txt" 2>&1 || twine_ok=0
python3 - "$WORK/out" "$twine_ok" <<'PY' >&2
import json, os, re, sys
out, twine_ok = sys.argv[1], sys.argv[2] == "1"
agora = {w["wheel"]: w for w in json.load(open(f"{out}/agora.json"))["wheels"]}
bad = []
# check-wheel-contents: "WHEEL: W00N: title:" then indented paths.
cwc = {}
current = None
for line in open(f"{out}/cwc.txt"):
    m = re.match(r"^(\S+\.whl): (W\d{3}): ", line)
    if m:
        current = cwc.setdefault(os.path.basename(m.group(1)), {}).setdefault(m.group(2), set())
    elif line.startswith("  ") and current is not None:
        current.add(line.strip())
for name, report in agora.items():
    text = open(f"{out}/{name}.auditwheel.txt").read()
    m = re.search(r'platform tag:\s*"([^"]+)"', text)
    tag = m.group(1) if m else None
    ours = (report.get("linux") or {}).get("computed")
    if tag != ours:
        bad.append(f"{name}: auditwheel {tag}, agora {ours}")
    theirs = cwc.get(name, {})
    our_codes = {}
    for f in report["findings"]:
        if f["code"].startswith("WC3"):
            our_codes.setdefault("W0" + f["code"][3:], set()).add(f.get("path"))
    if set(theirs) != set(our_codes):
        bad.append(f"{name}: check-wheel-contents {sorted(theirs)}, agora {sorted(our_codes)}")
    if theirs.get("W004", set()) != our_codes.get("W004", set()):
        bad.append(f"{name}: W004 paths differ")
    agora_meta_ok = not any(f["code"].startswith("WC2") and f["severity"] == "error" for f in report["findings"])
    if agora_meta_ok != twine_ok:
        bad.append(f"{name}: twine check {'passes' if twine_ok else 'fails'}, agora metadata {'ok' if agora_meta_ok else 'errors'}")
    print(f"sanity: {name}: tag {ours} (auditwheel agrees), check-wheel-contents {sorted(theirs)} (agora agrees), twine {'PASSED' if twine_ok else 'FAILED'}")
if bad:
    sys.exit("error: agora and the anchors disagree:\n  " + "\n  ".join(bad))
PY

aw_cmd="for w in $W1 $W2; do $AUDITWHEEL show \$w >/dev/null 2>&1; done"
cwc_cmd="$CWC $W1 $W2 >/dev/null 2>&1 || true"
twine_cmd="$TWINE check $W1 $W2 >/dev/null 2>&1"
all_cmd="$aw_cmd; $cwc_cmd; $twine_cmd"
ag_cmd="cd $WORK/agora && { $AGORA wheel check $W1 $W2 --format json >/dev/null 2>&1 || [ \$? -eq 1 ]; }"
measure "$WORK/wheel-check.json" \
    "anchors: auditwheel show + check-wheel-contents + twine check" "" "$all_cmd" \
    "agora wheel check" "" "$ag_cmd" \
    "(alone) auditwheel show" "" "$aw_cmd" \
    "(alone) check-wheel-contents" "" "$cwc_cmd" \
    "(alone) twine check" "" "$twine_cmd"

versions="$("$VENV/bin/python" -c "import importlib.metadata as m; print(', '.join(p + ' ' + m.version(p) for p in ['auditwheel', 'check-wheel-contents', 'twine']))")"

echo
echo '## wheel check: auditwheel show + check-wheel-contents + twine check vs `agora wheel check`'
echo
echo "$(machine); $versions"
echo
python3 - "$WORK/wheel-check.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
anchor = results["anchors: auditwheel show + check-wheel-contents + twine check"]
agora = results["agora wheel check"]
print("| command | median (s) | min (s) | max (s) | this / agora |")
print("|---|---:|---:|---:|---:|")
for name, r in results.items():
    ratio = "" if name == "agora wheel check" else f"{r['median'] / agora['median']:.1f}×"
    print(f"| {name} | {r['median']:.4f} | {r['min']:.4f} | {r['max']:.4f} | {ratio} |")
PY
echo
echo "wheels: $(basename "$W1"), $(basename "$W2")"
