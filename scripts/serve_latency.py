#!/usr/bin/env python3
"""Save -> reload latency of a running `logsite serve`, as a person sees it.

    python3 scripts/serve_latency.py http://127.0.0.1:3000 LOG/content/.../NOTE.md [ROUNDS]

Listens on the server's reload stream, then ROUNDS times (default 7) adds a line
under the note's わかったこと, 2.5 s apart (as a person saves), and prints the time
from the write to the first reload event; the note is restored at the end. Run by
hand against `cargo run --release -- serve LOG`; not part of the tests.
"""
import sys, time, threading, urllib.request, pathlib, statistics
url, note = sys.argv[1], pathlib.Path(sys.argv[2])
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
original = note.read_text()
events = []
def listen():
    with urllib.request.urlopen(url + "/__logsite/events") as r:
        for line in r:
            if line.startswith(b"data:") or line.startswith(b"event:"):
                events.append((time.perf_counter(), line[:80]))
threading.Thread(target=listen, daemon=True).start()
time.sleep(2)
lat = []
try:
    for i in range(rounds):
        before = len(events)
        t0 = time.perf_counter()
        note.write_text(original.replace("## わかったこと\n", f"## わかったこと\n- 追記{i}\n", 1))
        while len(events) == before and time.perf_counter() - t0 < 5:
            time.sleep(0.001)
        if len(events) > before:
            lat.append((events[before][0] - t0) * 1000)
            print(f"round {i}: first event after {lat[-1]:.0f} ms: {events[before][1]!r}")
        time.sleep(2.5)
finally:
    note.write_text(original)
print(f"median {statistics.median(lat):.0f} ms over {len(lat)}")
