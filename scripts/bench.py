#!/usr/bin/env python3
"""Benchmark: `logsite build` against a floor (plain pulldown-cmark, one file per note).

    python3 scripts/bench.py [N ...] [--runs 5] [--tmpfs]

For each N (default 365 3650 10000) it generates N notes with scripts/gen-notes
(cached under $TMPDIR/logsite-bench/N), then runs each command as a fresh process
--runs times after one warm-up, writing to a fresh output folder on disk, and again on
tmpfs (/dev/shm) with --tmpfs. It prints medians of wall, user and sys seconds, the
peak RSS (from wait4), notes/s and ms/note, and logsite / floor ratios.
Run by hand on an otherwise idle machine; it is not part of the tests.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT / "scripts" / "gen-notes"


def run(cmd):
    """Runs cmd; returns (wall s, user s, sys s, peak RSS MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}")
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024


def measure(cmd_for, out_base, runs):
    rows = []
    for i in range(runs + 1):
        out = Path(tempfile.mkdtemp(dir=out_base))
        try:
            r = run(cmd_for(out / "site"))
        finally:
            shutil.rmtree(out, ignore_errors=True)
        if i > 0:  # the first run warms the page cache
            rows.append(r)
    return [statistics.median(col) for col in zip(*rows)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="*", type=int, default=[365, 3650, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tmpfs", action="store_true", help="also measure with the output on /dev/shm")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "logsite", "--example", "floor"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    logsite, floor = target / "release/logsite", target / "release/examples/floor"
    cache = Path(tempfile.gettempdir()) / "logsite-bench"
    places = [("disk", cache / "out")] + ([("tmpfs", Path("/dev/shm/logsite-bench"))] if a.tmpfs else [])
    print(f"{'notes':>6} {'output':<6} {'command':<8} {'wall s':>7} {'user s':>7} {'sys s':>6} {'peak MiB':>9} {'notes/s':>8} {'ms/note':>8}")
    for n in a.n:
        log = cache / str(n)
        if not (log / "expected.json").exists():
            shutil.rmtree(log, ignore_errors=True)
            subprocess.run([sys.executable, str(GEN), str(n), str(log)], check=True, stdout=subprocess.DEVNULL)
        for place, base in places:
            base.mkdir(parents=True, exist_ok=True)
            results = {
                "logsite": measure(lambda out: [logsite, "build", log, "-d", out], base, a.runs),
                "floor": measure(lambda out: [floor, log, out], base, a.runs),
            }
            for name, (wall, user, sys_, rss) in results.items():
                print(f"{n:>6} {place:<6} {name:<8} {wall:>7.2f} {user:>7.2f} {sys_:>6.2f} {rss:>9.0f} {n / wall:>8.0f} {wall * 1000 / n:>8.3f}")
            lw, fw = results["logsite"][0], results["floor"][0]
            print(f"{n:>6} {place:<6} {'ratio':<8} {lw / fw:>7.2f}x wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
