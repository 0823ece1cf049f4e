"""Help videos over HTTP: full download throughput, seek latency (byte ranges), server memory.

    scripts/netns-run .venv/bin/python bench/help_video.py [--mb 100] [--seeks 30]

A production-like server (uvicorn, DEBUG off) serves one help video of --mb megabytes. The
figures: MB/s for the whole file (200), the median and p90 time to the last byte of a 64 KiB
range at random offsets (206, what a phone does when the resident seeks), and how much the
server's peak memory (VmHWM) grew while sending the whole file: streaming keeps it far below
the file size."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from harness import free_port, prepare_env, run_django

MAKE_VIDEO = """
import os, tempfile
from django.core.files import File
from videocontact.guidance.services import help_video_create
size = {size}
path = os.path.join(tempfile.mkdtemp(), "bench.mp4")
with open(path, "wb") as out:
    out.write(b"\\x00\\x00\\x00\\x20ftypisom\\x00\\x00\\x02\\x00isomiso2avc1mp41")
    while out.tell() < size:
        out.write(os.urandom(min(1 << 20, size - out.tell())))
with open(path, "rb") as handle:
    video = help_video_create(title="Bench", audience="resident", language="nl",
                              video=File(handle, name="bench.mp4"))
print(video.pk, video.size)
"""


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--seeks", type=int, default=30)
    args = parser.parse_args()
    env = prepare_env("vc-bench-video-")
    pk, size = (int(word) for word in run_django(env, MAKE_VIDEO.format(size=args.mb * 1_000_000)))
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "videocontact.asgi:application",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}/help/videos/{pk}/file"
    try:
        with httpx.Client(timeout=60) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.head(url)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            client.get(url, headers={"Range": "bytes=0-1023"})  # warm up
            rss_before = memory_kib(process.pid, "VmRSS")
            hwm_before = memory_kib(process.pid, "VmHWM")
            started = time.perf_counter()
            received = 0
            with client.stream("GET", url) as response:
                assert response.status_code == 200, response.status_code
                for chunk in response.iter_bytes():
                    received += len(chunk)
            full_seconds = time.perf_counter() - started
            assert received == size, (received, size)
            hwm_after = memory_kib(process.pid, "VmHWM")
            seeks = []
            rng = random.Random(1)
            for _ in range(args.seeks):
                start = rng.randrange(0, size - 65536)
                t0 = time.perf_counter()
                response = client.get(url, headers={"Range": f"bytes={start}-{start + 65535}"})
                seeks.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 206 and len(response.content) == 65536
    finally:
        process.terminate()
        process.wait(10)
    seeks.sort()
    print(
        json.dumps(
            {
                "file_mb": size / 1e6,
                "full_download_mb_per_s": round(size / 1e6 / full_seconds, 1),
                "seek_64kib_median_ms": round(statistics.median(seeks), 1),
                "seek_64kib_p90_ms": round(seeks[int(len(seeks) * 0.9) - 1], 1),
                "server_rss_before_mib": round(rss_before / 1024, 1),
                "server_peak_growth_during_full_download_mib": round(
                    (hwm_after - max(hwm_before, rss_before)) / 1024, 1
                ),
                "load_average": os.getloadavg()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
