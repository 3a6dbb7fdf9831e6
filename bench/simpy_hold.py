"""The hold model on SimPy (see bench/hold.ts): `pending` processes, each
holding for an exponential time and holding again; prints one JSON line."""
import json
import random
import sys
import time

import simpy


def main() -> None:
    pending, events = int(sys.argv[1]), int(sys.argv[2])
    env = simpy.Environment()
    rng = random.Random(12345)
    done = env.event()
    count = [0]

    def holder():
        while True:
            yield env.timeout(max(1, round(rng.expovariate(1 / 1000))))
            count[0] += 1
            if count[0] == events:
                done.succeed()

    for _ in range(pending):
        env.process(holder())
    env.run(until=env.timeout(0))  # start every process: its first hold is scheduled
    t0 = time.perf_counter()
    env.run(until=done)
    seconds = time.perf_counter() - t0
    print(json.dumps({"pending": pending, "events": events, "seconds": seconds, "eventsPerSec": events / seconds}))


main()
