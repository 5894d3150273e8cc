"""Writes the medians of bench/latency.sh's results into docs/benchmarks.md, between the latency markers (placed
right after the title when absent), leaving the rest of the file as it is.

    python3 bench/latency_report.py RESULTS.jsonl docs/benchmarks.md COMMIT
"""
import json
import statistics
import sys

START, END = "<!-- latency:start -->", "<!-- latency:end -->"
SCENARIOS = [(10000, 2, "10,000 subscribers, 2 msg/s"), (10000, 10, "10,000 subscribers, 10 msg/s"),
             (1000, 200, "1,000 subscribers, 200 msg/s (saturation)")]


def med(values):
    return statistics.median(values) if values else float("nan")


def spread(values, fmt):
    return f"{fmt(med(values))} ({fmt(min(values))}-{fmt(max(values))})" if values else "-"


def main(results, doc, commit):
    rows = [json.loads(line) for line in open(results) if line.strip()]
    servers = list(dict.fromkeys(r["server"] for r in rows))
    runs = max((sum(1 for r in rows if r["server"] == s and r["subscribers"] == 10000 and r["rate"] == 2)
                for s in servers), default=0)
    ms = lambda v: f"{v / 1000:,.0f}"
    out = [START, "## Latency and CPU at load (`bench/latency.sh`)", "",
           f"Commit `{commit}`; {runs} runs, median (min-max). One publisher, one room, 64-byte payloads, loopback; "
           "server pinned to one core, LoadGen to the other. CPU is of the message phase only (connections apart): "
           "server CPU per delivery in µs, and the load generator's share of its core (a * marks a result where it "
           "passed 90%: the client, not the server, was the limit). `jvm-floor` is `bench` JvmFloor, a bare Netty "
           "broadcaster writing one pre-encoded frame to every recipient.", "",
           "| scenario | server | deliveries/s | p50 ms | p99 ms | max ms | server µs/delivery | server core | client core | lost |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    floor = {}
    for subs, rate, title in SCENARIOS:
        for server in servers:
            rs = [r for r in rows if r["server"] == server and r["subscribers"] == subs and r["rate"] == rate]
            if not rs:
                continue
            cpu_per = [r["phase_server_cpu_ms"] * 1000 / r["delivered"] for r in rs if r["delivered"]]
            server_core = [r["phase_server_cpu_ms"] / (r["phase_s"] * 1000) * 100 for r in rs]
            client_core = [r["phase_client_cpu_ms"] / (r["phase_s"] * 1000) * 100 for r in rs]
            mark = "*" if med(client_core) > 90 else ""
            if server == "jvm-floor":
                floor[(subs, rate)] = (med([r["p50_us"] for r in rs]), med([r["p99_us"] for r in rs]), med(cpu_per))
            out.append(f"| {title} | {server} | {spread([r['deliveries_per_s'] for r in rs], lambda v: f'{v:,.0f}')} "
                       f"| {spread([r['p50_us'] for r in rs], ms)} | {spread([r['p99_us'] for r in rs], ms)} "
                       f"| {spread([r['max_us'] for r in rs], ms)} | {spread(cpu_per, lambda v: f'{v:.1f}')} "
                       f"| {med(server_core):.0f}% | {med(client_core):.0f}%{mark} "
                       f"| {sum(r['lost'] for r in rs)} |")
    out += ["", "Against the floor (medians; target 1.25×):", "",
            "| scenario | server | p50 ÷ floor | p99 ÷ floor | µs/delivery ÷ floor |", "| --- | --- | ---: | ---: | ---: |"]
    for subs, rate, title in SCENARIOS:
        if (subs, rate) not in floor:
            continue
        f50, f99, fcpu = floor[(subs, rate)]
        for server in servers:
            rs = [r for r in rows if r["server"] == server and r["subscribers"] == subs and r["rate"] == rate]
            if server == "jvm-floor" or not rs:
                continue
            p50, p99 = med([r["p50_us"] for r in rs]), med([r["p99_us"] for r in rs])
            cpu = med([r["phase_server_cpu_ms"] * 1000 / r["delivered"] for r in rs if r["delivered"]])
            out.append(f"| {title} | {server} | {p50 / f50:.2f}× | {p99 / f99:.2f}× | {cpu / fcpu:.2f}× |")
    out.append(END)
    text = open(doc).read()
    block = "\n".join(out)
    if START in text:
        text = text[:text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        head, _, rest = text.partition("\n")
        text = head + "\n\n" + block + "\n" + rest
    open(doc, "w").write(text)
    print(block)


if __name__ == "__main__":
    main(*sys.argv[1:4])
