#!/usr/bin/env python3
"""Medians of bench/footprint.sh's raw lines, one column per server, against issue 22's targets."""
import json
import statistics
import sys
from collections import defaultdict

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
servers = list(dict.fromkeys(r["server"] for r in rows))
values = defaultdict(lambda: defaultdict(list))


def add(server, key, value):
    if value is not None:
        values[key][server].append(value)


accept_lines = defaultdict(dict)
cold_rates = {r["rate"] for r in rows if r.get("cold")}
for r in rows:
    s = r["server"]
    if r.get("scenario") == "start":
        add(s, "start, 1 core (ms)", r["start_1core_ms"])
        add(s, "start, 2 cores (ms)", r["start_2cores_ms"])
        add(s, "idle RSS (MiB)", r["idle_rss_kib"] / 1024)
    elif r.get("scenario") == "footprint":
        add(s, "RSS per idle connection at 10,000 (KiB)", r["rss_per_conn_first_kib"])
        add(s, "RSS per idle connection at 19,000 (KiB)", r["rss_per_conn_all_kib"])
        add(s, "connections open at 19,000", r["open"])
    elif r.get("scenario") == "accept" and r.get("cold"):
        rate = r["rate"]
        add(s, "fresh process hit at once with %d/s: accepted/s" % rate, r["accepted_per_s"])
        add(s, "  its handshake p99 (ms)  [%d/s]" % rate, r["p99_ms"])
        add(s, "  its server CPU (%% of its core)  [%d/s]" % rate,
            100 * r["phase_server_cpu_ms"] / (r["phase_s"] * 1000))
    elif r.get("scenario") == "accept":
        accept_lines[(s, r["run"])][r["rate"]] = r
    elif r.get("scenario") == "accept-max":
        add(s, "accepts/s on one core, handshake p99 <= 250 ms", r["max_rate"])
        line = accept_lines[(s, r["run"])].get(r["max_rate"])
        if line:
            add(s, "  handshake p99 at that rate (ms)", line["p99_ms"])
            phase_ms = line["phase_s"] * 1000
            add(s, "  server CPU at that rate (% of its core)", 100 * line["phase_server_cpu_ms"] / phase_ms)
            add(s, "  load generator CPU (% of its core)", 100 * line["phase_client_cpu_ms"] / phase_ms)
    elif r.get("scenario") == "fanout":
        add(s, "fan-out 200 x 50/s p99, %s process (ms)" % ("fresh" if r["phase"] == "first" else "warm"),
            r["p99_us"] / 1000)
        add(s, "fan-out lost messages (%s)" % r["phase"], r.get("lost"))
        if r["phase"] == "first":
            add(s, "  server CPU in the first fan-out (% of its core)",
                100 * r["phase_server_cpu_ms"] / (r["phase_s"] * 1000))

order = ["start, 1 core (ms)", "start, 2 cores (ms)", "idle RSS (MiB)", "RSS per idle connection at 10,000 (KiB)",
         "RSS per idle connection at 19,000 (KiB)", "connections open at 19,000",
         "accepts/s on one core, handshake p99 <= 250 ms", "  handshake p99 at that rate (ms)",
         "  server CPU at that rate (% of its core)", "  load generator CPU (% of its core)",
         *[key % rate for rate in sorted(cold_rates) for key in (
             "fresh process hit at once with %d/s: accepted/s", "  its handshake p99 (ms)  [%d/s]",
             "  its server CPU (%% of its core)  [%d/s]")],
         "fan-out 200 x 50/s p99, fresh process (ms)", "  server CPU in the first fan-out (% of its core)",
         "fan-out 200 x 50/s p99, warm process (ms)",
         "fan-out lost messages (first)", "fan-out lost messages (warm)"]
runs = max((r.get("run", 1) for r in rows), default=0)
print("| figure (median of %d runs) | %s |" % (runs, " | ".join(servers)))
print("|---|%s|" % "|".join("---:" for _ in servers))
for key in order:
    cells = []
    for s in servers:
        v = values[key].get(s)
        cells.append("%.1f" % statistics.median(v) if v else "-")
    print("| %s | %s |" % (key, " | ".join(cells)))
fresh = values["fan-out 200 x 50/s p99, fresh process (ms)"]
warm = values["fan-out 200 x 50/s p99, warm process (ms)"]
for s in servers:
    if fresh.get(s) and warm.get(s):
        print("%s: first fan-out p99 / warm p99 = %.2f" % (s, statistics.median(fresh[s]) / statistics.median(warm[s])))
