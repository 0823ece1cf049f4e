"""Soak: N rooms for a long time (default 30 minutes at 200 rooms, about half the largest load
with relay p99 <= 50 ms): is memory flat, do no queues grow, are there no errors?

    scripts/netns-run .venv/bin/python bench/soak.py --minutes 30 --rooms 200

The rooms are those of room_load.py (signals every 2 s, pings every 20 s, typing every 1.5 s);
the server is uvicorn with a private Redis and PostgreSQL (database `--db`, dropped first).
Every `--sample-every` seconds it prints one JSON line: server RSS and CPU, the client's CPU,
relay p50/p99 of that interval, new errors, and the channel layer's queues in Redis (keys, the
longest channel queue, Redis memory). At the end: the verdict and the figures behind it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis

sys.path.insert(0, str(Path(__file__).resolve().parent))
import room_load
from load_server import (
    REDIS_PORT,
    cpu_seconds,
    env_for,
    prepare,
    rss_mb,
    server_pids,
    start_redis,
    start_server,
    stop_server,
)


async def redis_queues(client: aioredis.Redis) -> dict[str, Any]:
    """What waits in Redis. The list-based layer (`--layer core`): a channel's queue is a sorted
    set (a group is one too: its members, not a queue, left out of the longest). The pub/sub
    layer keeps nothing in Redis: what waits for a slow process is the output buffer of its
    subscriber connection (`omem` of CLIENT LIST), reported as the longest queue in bytes."""
    longest, keys = 0, 0
    async for key in client.scan_iter(match="asgi*", count=1000):
        keys += 1
        if b":group:" not in key and await client.type(key) == b"zset":
            longest = max(longest, await client.zcard(key))
    clients = await client.client_list()
    subscribers = [c for c in clients if int(c.get("sub", 0)) > 0]
    memory = await client.info("memory")
    return {
        "redis_keys": keys,
        "longest_queue": longest,
        "pubsub_channels": len(await client.pubsub_channels()),
        "subscriber_omem_max_bytes": max((int(c["omem"]) for c in subscribers), default=0),
        "redis_clients": len(clients),
        "redis_mb": memory["used_memory"] / 2**20,
    }


async def soak(
    base: str, staff: str, rooms: list[list[str]], pids: list[int]
) -> list[dict[str, Any]]:
    stats = room_load.Stats()
    stop = room_load.Stop(at=time.monotonic() + 10**9)
    tasks = []
    for visit, cookie, pid in rooms:
        tasks.append(
            asyncio.create_task(room_load.room(base, staff, visit, cookie, pid, stats, stop))
        )
        await asyncio.sleep(max(5.0, len(rooms) / 50) / len(rooms))
    client = aioredis.Redis(port=REDIS_PORT)
    samples: list[dict[str, Any]] = []
    end = time.monotonic() + ARGS.minutes * 60
    cpu0, me0, t0, errors0 = cpu_seconds(pids), time.process_time(), time.monotonic(), 0
    stats.relay_ms.clear()
    while time.monotonic() < end:
        await asyncio.sleep(min(ARGS.sample_every, max(0.0, end - time.monotonic())))
        cpu1, me1, t1 = cpu_seconds(pids), time.process_time(), time.monotonic()
        relays, stats.relay_ms = stats.relay_ms, []
        errors = sum(stats.errors.values())
        sample = {
            "t_s": round(t1 - (end - ARGS.minutes * 60)),
            "joined": stats.joined,
            "relays": len(relays),
            "relay_p50_ms": round(room_load.pct(relays, 0.5), 1),
            "relay_p99_ms": round(room_load.pct(relays, 0.99), 1),
            "new_errors": errors - errors0,
            "server_rss_mb": round(rss_mb(pids), 1),
            "server_cpu_pct": round(100 * (cpu1 - cpu0) / (t1 - t0), 1),
            "client_cpu_pct": round(100 * (me1 - me0) / (t1 - t0), 1),
            "loadavg_1m": round(os.getloadavg()[0], 2),
            **{k: round(v, 1) for k, v in (await redis_queues(client)).items()},
        }
        cpu0, me0, t0, errors0 = cpu1, me1, t1, errors
        samples.append(sample)
        print(json.dumps(sample), flush=True)
    stop.at = 0
    await asyncio.gather(*tasks)
    await client.aclose()
    print("errors by code:", json.dumps(stats.errors))
    return samples


def verdict(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Memory: the mean RSS of the last third against the first third (after the first sample,
    which still has the joins in it). Queues: the longest channel queue seen."""
    steady = samples[1:] or samples
    third = max(1, len(steady) // 3)
    first = sum(s["server_rss_mb"] for s in steady[:third]) / third
    last = sum(s["server_rss_mb"] for s in steady[-third:]) / third
    return {
        "rss_first_third_mb": round(first, 1),
        "rss_last_third_mb": round(last, 1),
        "rss_growth_pct": round(100 * (last - first) / first, 1),
        "longest_queue_max": max(s["longest_queue"] for s in samples),
        "subscriber_omem_max_bytes": max(s["subscriber_omem_max_bytes"] for s in samples),
        "pubsub_channels_first_last": [steady[0]["pubsub_channels"], steady[-1]["pubsub_channels"]],
        "redis_clients_first_last": [steady[0]["redis_clients"], steady[-1]["redis_clients"]],
        "redis_keys_first_last": [steady[0]["redis_keys"], steady[-1]["redis_keys"]],
        "errors": sum(s["new_errors"] for s in samples),
        "relay_p99_ms_worst_interval": max(s["relay_p99_ms"] for s in steady),
    }


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    env = env_for(ARGS.db, ARGS.layer)
    redis_server = start_redis()
    server = None
    try:
        setup = prepare(env, ARGS.rooms, ARGS.db)
        server = start_server(env, 8765, ARGS.workers)
        pids = server_pids(server.pid)
        samples = asyncio.run(soak("ws://127.0.0.1:8765", setup["staff"], setup["rooms"], pids))
        print("verdict:", json.dumps(verdict(samples)))
    finally:
        if server is not None:
            stop_server(server)
        redis_server.terminate()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--rooms", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--layer", default="pubsub", choices=["pubsub", "core"])
    parser.add_argument("--sample-every", type=float, default=30.0, help="seconds")
    parser.add_argument("--db", default="vc_soak", help="PostgreSQL database (dropped first)")
    ARGS = parser.parse_args()
    room_load.ARGS = argparse.Namespace(signal_every=2.0)
    main()
