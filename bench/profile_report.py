"""Summarises `jfr print --events jdk.ExecutionSample` output: the hottest methods by own samples and by samples
that include them anywhere on the stack (each method counted once per sample), and the share of the event loop."""
import collections
import re
import sys

text = open(sys.argv[1]).read()
own = collections.Counter()
total = collections.Counter()
threads = collections.Counter()
samples = 0
for block in text.split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", block, re.M)
    if not frames:
        continue
    samples += 1
    thread = re.search(r'sampledThread = "([^"]*)"', block)
    threads[re.sub(r"-\d+$", "-N", thread.group(1)) if thread else "?"] += 1
    own[frames[0]] += 1
    for frame in set(frames):
        total[frame] += 1

print(f"{samples} samples")
print("\nby thread:")
for name, n in threads.most_common(8):
    print(f"  {100 * n / samples:5.1f}%  {name}")
print("\nown time (top 25):")
for name, n in own.most_common(25):
    print(f"  {100 * n / samples:5.1f}%  {name}")
print("\nwith callees (top 40, application, Vert.x, Netty, Mutiny and websockets-next frames):")
shown = 0
for name, n in total.most_common():
    if re.match(r"(io\.realtimegateway|io\.vertx|io\.netty|io\.smallrye\.mutiny|io\.quarkus\.websockets)", name):
        print(f"  {100 * n / samples:5.1f}%  {name}")
        shown += 1
        if shown == 40:
            break
