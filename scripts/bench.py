#!/usr/bin/env python3
"""Benchmark: `logsite build` beside Hugo and beside a floor, in one run on one machine.

    python3 scripts/bench.py [N ...] [--runs 3] [--tmpfs] [--no-hugo]

For each N (default 365 3650) it generates N notes with scripts/gen-notes (cached
under $TMPDIR/logsite-bench/N), converts them into a Hugo site with
scripts/hugo_site.py, and runs three commands in turn, A B C A B C …, each as a
fresh process writing into a fresh output folder, one warm-up round then --runs
counted rounds (the disk synced and then the command's own files read into the
page cache before each; on disk, every output kept until the last round, see
`alternate`):

- logsite: `logsite build LOG -d OUT`, built with the dist profile (the binary the
           installers ship)
- hugo:    `hugo --source SITE --destination OUT --quiet` (Debian's `hugo`; installed
           with apt-get when missing and this runs as root)
- floor:   `cp -r` of logsite's own output tree, plus every note rendered by plain
           pulldown-cmark into one file each (`examples/floor.rs`): what any generator
           writing logsite's site must pay at least.

Output goes to a folder on disk, and also to tmpfs (/dev/shm) with --tmpfs. It
prints the medians of wall, user and sys seconds and of peak RSS (from wait4), then
the ratios of each pair of runs of the same round (median), and the targets of
issue 16 as met or not. Only figures from one run of this script compare: the
machine's speed drifts between runs. Run it by hand on an otherwise idle machine;
it is not part of the tests.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT / "scripts" / "gen-notes"
HUGO_SITE = ROOT / "scripts" / "hugo_site.py"


def run(cmd):
    """Runs cmd; returns (wall s, user s, sys s, peak RSS MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{proc.stderr.read().decode(errors='replace')}")
    proc.stderr.close()
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024


def warm(paths):
    """Reads every file under `paths` (files or folders), so that a command finds its
    program and its input in the page cache. Some machines drop the cache of files
    left unread for a few seconds (seen here: of 3,000 notes and screenshots read at
    once, 7 were out of the cache 2 s later, 276 after 12 s and 2,003 after 20 s; the
    program's own file too), and a build that reads its notes from the disk again
    took 1.49 s instead of 0.52: such a run measured the machine, not the command."""
    for path in map(Path, paths):
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
        for f in files:
            with open(f, "rb") as handle:
                while handle.read(1 << 20):
                    pass


def alternate(commands, out_base, runs, keep_outputs):
    """Runs each command of `commands` (name -> (fn(out) -> argv, the files it
    reads)) once a round, in turn, for one warm-up round and `runs` counted rounds;
    returns name -> rows.

    The disk is synced before each command, so none pays for the writeback of the one
    before, and then the files the command reads are read (`warm`). With
    keep_outputs, outputs stay until every round is done: ext4 passes over inodes
    freed in the last minute when it allocates new ones (`recently_deleted` in its
    inode allocator), so a command run just after the previous output was deleted
    paid for that deletion, 3-4 s of sys time at 3,650 notes. They are deleted
    early only if the disk would fill, which is said."""
    rows = {name: [] for name in commands}
    kept, largest = [], 0
    if keep_outputs:
        # Past the window of files this script deleted before (an earlier output, the
        # reference tree), synced so that none of their inode blocks is still dirty
        # (which widens the window to six minutes).
        os.sync()
        time.sleep(61)
    for round_ in range(runs + 1):
        for name, (cmd_for, reads) in commands.items():
            if kept and shutil.disk_usage(out_base).free < 3 * largest:
                print("note: outputs deleted to free disk space: the runs after this pay for it")
                for out in kept:
                    shutil.rmtree(out, ignore_errors=True)
                kept.clear()
            out = Path(tempfile.mkdtemp(dir=out_base))
            os.sync()
            # After the sync, which can take seconds: the cache is dropped in seconds too.
            warm(reads)
            free = shutil.disk_usage(out_base).free
            try:
                figures = run(cmd_for(out / "site"))
            finally:
                largest = max(largest, free - shutil.disk_usage(out_base).free)
                if keep_outputs:
                    kept.append(out)
                else:
                    shutil.rmtree(out, ignore_errors=True)
            if round_ > 0:  # round 0 is the warm-up, not counted
                rows[name].append(figures)
    for out in kept:
        shutil.rmtree(out, ignore_errors=True)
    return rows


def ensure_hugo():
    if shutil.which("hugo"):
        return shutil.which("hugo")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("bench: installing Debian's hugo", file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "hugo"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        return shutil.which("hugo")
    sys.exit("bench: no hugo: apt-get install hugo (or pass --no-hugo)")


def check_peer_builds_every_note(hugo, site, n):
    """Builds the Hugo site once and counts its note pages: a peer that skips notes
    (Hugo leaves out future-dated ones unless told) is not doing the same work."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([hugo, "--source", site, "--destination", out, "--quiet"], check=True)
        pages = list(Path(out, "notes").glob("*/*/????-??-??/index.html"))
        if len(pages) != n:
            sys.exit(f"bench: Hugo built {len(pages)} note pages of {n}: not a comparison")


def median_ratio(a_rows, b_rows, pick):
    return statistics.median(pick(a) / pick(b) for a, b in zip(a_rows, b_rows))


def cpu(row):
    return row[1] + row[2]


def wall(row):
    return row[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="*", type=int, default=[365, 3650])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tmpfs", action="store_true", help="also measure with the output on /dev/shm")
    ap.add_argument("--no-hugo", action="store_true", help="leave Hugo out (e.g. for 100,000 notes)")
    a = ap.parse_args()
    # The dist profile: the binary the installers ship and the Pages workflow runs.
    subprocess.run(["cargo", "build", "--profile", "dist", "--quiet", "--bin", "logsite", "--example", "floor"],
                   cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    logsite, floor = target / "dist/logsite", target / "dist/examples/floor"
    hugo = None if a.no_hugo else ensure_hugo()
    if hugo:
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
        print(f"peer: {version}")
    print(f"runs: {a.runs} counted rounds after one warm-up, commands alternating; medians")
    cache = Path(tempfile.gettempdir()) / "logsite-bench"
    places = [("disk", cache / "out")] + ([("tmpfs", Path("/dev/shm/logsite-bench"))] if a.tmpfs else [])
    header = f"{'notes':>6} {'output':<6} {'command':<8} {'wall s':>7} {'user s':>7} {'sys s':>6} {'cpu s':>6} {'peak MiB':>9}"
    print(header)
    verdicts = []
    for n in a.n:
        log = cache / str(n)
        if not (log / "expected.json").exists():
            shutil.rmtree(log, ignore_errors=True)
            subprocess.run([sys.executable, str(GEN), str(n), str(log)], check=True, stdout=subprocess.DEVNULL)
        site = cache / f"{n}-hugo"
        if hugo:
            # Made again each run (outside the timing): a site made by an older converter
            # would silently measure something else.
            shutil.rmtree(site, ignore_errors=True)
            subprocess.run([sys.executable, str(HUGO_SITE), str(log), str(site)], check=True,
                           stdout=subprocess.DEVNULL)
            check_peer_builds_every_note(hugo, site, n)
        # The floor copies logsite's own output: build it once, outside the timing.
        reference = cache / f"{n}-public"
        shutil.rmtree(reference, ignore_errors=True)
        subprocess.run([logsite, "build", log, "-d", reference], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for place, base in places:
            base.mkdir(parents=True, exist_ok=True)
            commands = {"logsite": (lambda out: [logsite, "build", log, "-d", out], [logsite, log])}
            if hugo:
                commands["hugo"] = (lambda out: [hugo, "--source", site, "--destination", out, "--quiet"],
                                    [hugo, site])
            commands["floor"] = (lambda out: [
                "sh", "-c", 'mkdir -p "$2" && cp -r "$1" "$2/copy" && exec "$3" "$4" "$2/render"', "floor",
                reference, out, floor, log], [shutil.which("sh"), shutil.which("cp"), floor, reference, log])
            # tmpfs frees inodes at once and would fill memory: its outputs go each run.
            rows = alternate(commands, base, a.runs, keep_outputs=place == "disk")
            for name, runs in rows.items():
                w, u, s, rss = (statistics.median(col) for col in zip(*runs))
                print(f"{n:>6} {place:<6} {name:<8} {w:>7.2f} {u:>7.2f} {s:>6.2f} {u + s:>6.2f} {rss:>9.0f}")
            mine = rows["logsite"]
            if hugo:
                cpu_ratio = median_ratio(mine, rows["hugo"], cpu)
                wall_ratio = median_ratio(rows["hugo"], mine, wall)
                print(f"{n:>6} {place:<6} logsite cpu / hugo cpu {cpu_ratio:.2f}; hugo wall / logsite wall {wall_ratio:.2f}")
                if place == "tmpfs":
                    verdicts.append((f"{n} notes, tmpfs: logsite CPU <= 1/3 of Hugo's", cpu_ratio <= 1 / 3, f"{cpu_ratio:.2f}"))
                else:
                    verdicts.append((f"{n} notes, disk: >= 3x faster than Hugo (wall)", wall_ratio >= 3, f"{wall_ratio:.2f}x"))
            floor_ratio = median_ratio(mine, rows["floor"], wall)
            print(f"{n:>6} {place:<6} logsite wall / floor wall {floor_ratio:.2f}")
            if place == "disk":
                verdicts.append((f"{n} notes, disk: <= 1.5x the floor (wall)", floor_ratio <= 1.5, f"{floor_ratio:.2f}x"))
            if n >= 100_000:
                w = statistics.median(wall(r) for r in mine)
                rss = statistics.median(r[3] for r in mine)
                verdicts.append((f"{n} notes, {place}: under 30 s", w < 30, f"{w:.1f} s"))
                verdicts.append((f"{n} notes, {place}: under 1 GiB", rss < 1024, f"{rss:.0f} MiB"))
        shutil.rmtree(reference, ignore_errors=True)
    print("targets:")
    for what, met, figure in verdicts:
        print(f"  {'met    ' if met else 'NOT met'}  {what}: {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
