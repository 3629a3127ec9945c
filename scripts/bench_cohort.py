#!/usr/bin/env python3
"""Benchmark of `logsite cohort` at scale: many learners given as data/log.json files.

    bench_cohort.py [--members 500] [--notes 365] [--logs 4] [--runs 5]
                    [--logsite target/release/logsite] [--work DIR]

Makes --logs logs of --notes notes each with scripts/gen-notes (seeds 1..logs), writes
each one's log.json with `logsite stats --json` (the same document a build writes),
copies them to --members member files (member i takes log i % logs), writes a
cohort.toml listing them as `data = "..."`, and times `logsite cohort` --runs times.
Prints user, sys and wall seconds (median, and each run) and the peak RSS (from
os.wait4, the kernel's maxrss). The machine should be otherwise idle. Standard
library only.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_timed(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed ({code}):\n{err}")
    return usage.ru_utime, usage.ru_stime, wall, usage.ru_maxrss / 1024  # MiB


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--members", type=int, default=500)
    ap.add_argument("--notes", type=int, default=365)
    ap.add_argument("--logs", type=int, default=4)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--logsite", type=Path, default=ROOT / "target/release/logsite")
    ap.add_argument("--work", type=Path, help="keep the generated cohort here")
    a = ap.parse_args()
    logsite = a.logsite.resolve()
    work = a.work or Path(tempfile.mkdtemp(prefix="bench-cohort-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "cohort" / "data"
    data.mkdir(parents=True, exist_ok=True)
    sources = []
    for seed in range(1, a.logs + 1):
        log = work / f"log{seed}"
        if not (log / "content").is_dir():
            subprocess.run([sys.executable, ROOT / "scripts/gen-notes", str(a.notes), log,
                            "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
        out = work / f"log{seed}.json"
        with open(out, "wb") as f:
            subprocess.run([logsite, "stats", "--json", log], check=True, stdout=f)
        sources.append(out)
    lines = ['[cohort]\ntitle = "Benchmark cohort"\nweekly-goal = "10h"\n']
    for i in range(a.members):
        name = f"learner{i:04d}"
        shutil.copyfile(sources[i % len(sources)], data / f"{name}.json")
        lines.append(f'[[member]]\nname = "{name}"\ndata = "data/{name}.json"\n')
    (work / "cohort" / "cohort.toml").write_text("\n".join(lines), encoding="utf-8")
    size = sum(f.stat().st_size for f in data.iterdir())
    print(f"{a.members} members x {a.notes} notes ({a.logs} distinct logs), "
          f"{size / 2**20:.0f} MiB of log.json, in {work}")
    cmd = [logsite, "cohort", work / "cohort"]
    runs = [run_timed(cmd) for _ in range(a.runs)]
    med = [statistics.median(r[i] for r in runs) for i in range(4)]
    print(f"command: {' '.join(map(str, cmd))}")
    print(f"median of {a.runs}: user {med[0]:.2f} s, sys {med[1]:.2f} s, wall {med[2]:.2f} s; "
          f"peak RSS {max(r[3] for r in runs):.0f} MiB")
    for i, r in enumerate(runs, 1):
        print(f"  run {i}: user {r[0]:.2f} s, sys {r[1]:.2f} s, wall {r[2]:.2f} s, RSS {r[3]:.0f} MiB")
    if not a.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
