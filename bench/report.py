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
with_cpu = any("server_cpu_ms" in r for r in rows)


def cpu_per_delivery(rs):
    return fig([r["server_cpu_ms"] * 1000 / r["delivered"] for r in rs if r.get("delivered") and "server_cpu_ms" in r],
               digits=1)


out += ["", "## Fan-out: one publisher, N subscribers in one room", "",
        "`msg/s` max means as fast as the publisher's acks allow (64 in flight): saturation. Latencies are capped at "
        "5,000 ms by the recorder: a 5000 means the server (or the load generator) fell behind.", "",
        "| server | subscribers | msg/s | deliveries/s | p50 ms | p99 ms | max ms | lost |"
        + (" server CPU µs/delivery |" if with_cpu else ""),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if with_cpu else "")]
for key in sorted(fan, key=lambda k: (k[1], k[2], SERVERS.index(k[0]))):
    rs = fan[key]
    out.append(f"| {key[0]} | {key[1]} | {key[2] or 'max'} | {fig([r['deliveries_per_s'] for r in rs])} | "
               f"{fig([r['p50_us'] for r in rs], 0.001, 1)} | {fig([r['p99_us'] for r in rs], 0.001, 1)} | "
               f"{fig([r['max_us'] for r in rs], 0.001, 1)} | {fig([r['lost'] for r in rs])} |"
               + (f" {cpu_per_delivery(rs)} |" if with_cpu else ""))

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


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "n/a"


if "node" in SERVERS:
    out += ["", "## Targets", "", "| target | " + " | ".join(s for s in SERVERS if s != "node") + " |",
            "| --- |" + " ---: |" * (len(SERVERS) - 1)]
    gateways = [s for s in SERVERS if s != "node"]
    for subs in sorted({k[1] for k in fan if k[2] == 0}):
        node = median([r["deliveries_per_s"] for r in fan.get(("node", subs, 0), [])])
        out.append(f"| fan-out deliveries/s at saturation, {subs} subscribers, vs node (target ≥ 2×) | "
                   + " | ".join(ratio(median([r["deliveries_per_s"] for r in fan.get((g, subs, 0), [])]), node)
                                for g in gateways) + " |")
    out.append("| p99 fan-out latency, 10,000 subscribers at 10 msg/s (target ≤ 30 ms) | "
               + " | ".join(fig([r["p99_us"] for r in fan.get((g, 10000, 10), [])], 0.001, 1) + " ms"
                            for g in gateways) + " |")
    biggest = max((k[1] for k in cap), default=None)
    node_rss = median([r["rss_per_conn_kib"] for r in cap.get(("node", biggest), [])])
    out.append(f"| RSS per idle connection at {biggest} connections, vs node (target ≤ 1×) | "
               + " | ".join(ratio(median([r["rss_per_conn_kib"] for r in cap.get((g, biggest), [])]), node_rss)
                            for g in gateways) + " |")
    out.append("| messages lost, all scenarios (target 0) | "
               + " | ".join(str(sum(r.get("lost", 0) for r in rows if r["server"] == g)) for g in gateways) + " |")

if startup_file and startup_file.exists():
    out += ["", "## Start-up and idle memory (`StartupBench`, 5 runs each)", "",
            "Process start to `/q/health/ready` answering 200 and to the first accepted WebSocket, then idle RSS, "
            "pinned to the server core; plain, with the class cache of one training run (`src/main/docker/"
            "aot-train.sh`: AppCDS on 17, the ahead-of-time cache on 25), and with that cache and the client "
            "compiler only (`+C1`). The default fast-jar packaging; `bench/startup.sh` measures the aot-jar too.",
            "", "```"]
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
