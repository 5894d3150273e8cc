#!/usr/bin/env python3
"""Turns bench/run.sh's results (one JSON object per line) into docs/benchmarks.md and PNG charts (gnuplot).

Each figure is the median of the runs with min-max in brackets.
"""
import json
import shutil
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

results_file, markdown_file, chart_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
startup_file = Path(sys.argv[4]) if len(sys.argv) > 4 else None
rows = [json.loads(line) for line in Path(results_file).read_text().splitlines() if line.strip()]
SERVERS = [s for s in ("gateway-jdk17", "gateway-jdk25", "node") if any(r["server"] == s for r in rows)]


def group(scenario, key_fields):
    groups = defaultdict(list)
    for r in rows:
        if r["scenario"] == scenario:
            groups[(r["server"],) + tuple(r[k] for k in key_fields)].append(r)
    return groups


def fig(values, scale=1.0, digits=0):
    values = [v * scale for v in values if v is not None and v >= 0]
    if not values:
        return "n/a"
    fmt = f"{{:.{digits}f}}"
    med = fmt.format(statistics.median(values))
    if len(values) == 1:
        return med
    return f"{med} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def median(values):
    values = [v for v in values if v is not None and v >= 0]
    return statistics.median(values) if values else None


out = ["# Benchmarks", "",
       "Produced by `bench/run.sh` on this project's build machine (2 cores, 24 GiB): server pinned to one core, "
       "load generator (`LoadGen`, Vert.x WebSocket clients) to the other, all traffic on loopback. Each figure is "
       "the median of the runs, with min-max in brackets. `node` is the seed's stack (Express + ws + jsonwebtoken, "
       "`bench/reference/node-ws`) speaking the same protocol.", ""]

cap = group("capacity", ["connections"])
out += ["## Capacity: idle authenticated connections", "",
        "| server | connections | opened | failures | connects/s | RSS per connection (KiB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |"]
for key in sorted(cap, key=lambda k: (SERVERS.index(k[0]), k[1])):
    rs = cap[key]
    out.append(f"| {key[0]} | {key[1]} | {fig([r['open'] for r in rs])} | {fig([r['failures'] for r in rs])} | "
               f"{fig([r['connect_per_s'] for r in rs])} | {fig([r['rss_per_conn_kib'] for r in rs], digits=1)} |")

fan = group("fanout", ["subscribers", "rate"])
out += ["", "## Fan-out: one publisher, N subscribers in one room", "",
        "`rate` 0 means as fast as the publisher's acks allow (64 in flight): saturation.", "",
        "| server | subscribers | msg/s | deliveries/s | p50 ms | p99 ms | max ms | lost |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for key in sorted(fan, key=lambda k: (k[1], k[2], SERVERS.index(k[0]))):
    rs = fan[key]
    out.append(f"| {key[0]} | {key[1]} | {key[2] or 'max'} | {fig([r['deliveries_per_s'] for r in rs])} | "
               f"{fig([r['p50_us'] for r in rs], 0.001, 1)} | {fig([r['p99_us'] for r in rs], 0.001, 1)} | "
               f"{fig([r['max_us'] for r in rs], 0.001, 1)} | {fig([r['lost'] for r in rs])} |")

echo = group("echo", ["in_flight"])
out += ["", "## Echo round trip (application ping/pong)", "",
        "| server | in flight | round trips/s | p50 ms | p99 ms |", "| --- | ---: | ---: | ---: | ---: |"]
for key in sorted(echo, key=lambda k: (k[1], SERVERS.index(k[0]))):
    rs = echo[key]
    out.append(f"| {key[0]} | {key[1]} | {fig([r['round_trips_per_s'] for r in rs])} | "
               f"{fig([r['p50_us'] for r in rs], 0.001, 2)} | {fig([r['p99_us'] for r in rs], 0.001, 2)} |")

cross = group("cross", ["subscribers", "rate"])
if cross:
    out += ["", "## Cross-instance over Redis", "",
            "| server | subscribers | msg/s | p50 ms | p99 ms | lost |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for key in sorted(cross):
        rs = cross[key]
        out.append(f"| {key[0]} | {key[1]} | {key[2]} | {fig([r['p50_us'] for r in rs], 0.001, 1)} | "
                   f"{fig([r['p99_us'] for r in rs], 0.001, 1)} | {fig([r['lost'] for r in rs])} |")

if startup_file and startup_file.exists():
    out += ["", "## Start-up and idle memory (`StartupBench`, 5 runs each)", "",
            "Process start to `/q/health/ready` answering 200 and to the first accepted WebSocket, then idle RSS; "
            "plain, and with the JDK's class-data cache (AppCDS on 17, the ahead-of-time cache on 25).", "", "```"]
    out += [line for line in startup_file.read_text().splitlines() if line.strip()]
    out += ["```"]


def chart(name, title, xlabel, ylabel, series):
    """series: {label: [(x, y), ...]}"""
    if not shutil.which("gnuplot"):
        return None
    data_dir = chart_dir / ".data"
    data_dir.mkdir(parents=True, exist_ok=True)
    plots = []
    for label, points in series.items():
        f = data_dir / f"{name}-{label}.dat"
        f.write_text("\n".join(f"{x} {y}" for x, y in sorted(points) if y is not None) + "\n")
        plots.append(f"'{f}' using 1:2 with linespoints title '{label}'")
    png = chart_dir / f"{name}.png"
    script = (f"set terminal pngcairo size 800,480 font ',11'\nset output '{png}'\nset title '{title}'\n"
              f"set xlabel '{xlabel}'\nset ylabel '{ylabel}'\nset key top left\nset grid\n"
              f"set logscale x\nplot {', '.join(plots)}\n")
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True, capture_output=True)
    except (subprocess.CalledProcessError, FileNotFoundError):
        script = script.replace("pngcairo", "png")
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    shutil.rmtree(data_dir, ignore_errors=True)
    return png.name


latency = {s: [(k[1], median([r["p99_us"] for r in rs]) / 1000.0 if median([r["p99_us"] for r in rs]) else None)
               for k, rs in fan.items() if k[0] == s and k[2] == 10] for s in SERVERS}
memory = {s: [(k[1], median([r["rss_per_conn_kib"] for r in rs])) for k, rs in cap.items() if k[0] == s]
          for s in SERVERS}
charts = [chart("latency-vs-subscribers", "Fan-out p99 latency at 10 msg/s", "subscribers", "p99 latency (ms)",
                latency),
          chart("memory-vs-connections", "Server RSS per idle connection", "connections", "KiB per connection",
                memory)]
out += [""] + [f"![{c}]({c})" for c in charts if c]
markdown_file.write_text("\n".join(out) + "\n")
