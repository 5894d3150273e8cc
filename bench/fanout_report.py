"""Writes the medians of bench/fanout.sh's runs (JSON lines) as a markdown table: python3 bench/fanout_report.py
RESULTS.jsonl OUT.md COMMIT. Each row is one scenario and server: median with min-max over the runs."""
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
out, commit = sys.argv[2], sys.argv[3]


def key(r):
    if r["scenario"] == "echo":
        return (0, "echo, 32 in flight (round trips/s)")
    rate = f"{r['rate']} msg/s" if r["rate"] else "saturated"
    return (1 if r["rate"] else 2, f"fan-out to {r['subscribers']:,} subscribers, {rate} (deliveries/s)")


def span(values, scale=1.0, digits=0):
    values = [v / scale for v in values]
    fmt = f"{{:,.{digits}f}}"
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


groups = {}
for r in rows:
    groups.setdefault(key(r), {}).setdefault(r["server"], []).append(r)
servers = list(dict.fromkeys(r["server"] for r in rows))
runs = max(len(v) for g in groups.values() for v in g.values())
lines = [
    "# Fan-out and echo (bench/fanout.sh)",
    "",
    f"Commit `{commit}`; {runs} runs; median (min-max). Server pinned to one core, LoadGen to the other, loopback. "
    "Latency is from publish to receipt at the subscriber, capped at 5,000 ms by the recorder.",
    "",
    "| scenario | server | rate | p50 ms | p99 ms | lost |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
]
for (_, name), by_server in sorted(groups.items()):
    for server in servers:
        rs = by_server.get(server)
        if not rs:
            continue
        rate = [r.get("deliveries_per_s", r.get("round_trips_per_s", 0)) for r in rs]
        lines.append(f"| {name} | {server} | {span(rate)} | {span([r['p50_us'] for r in rs], 1000, 1)} | "
                     f"{span([r['p99_us'] for r in rs], 1000, 1)} | {sum(r.get('lost', 0) for r in rs)} |")
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
