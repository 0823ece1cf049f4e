"""The receiving process of bench/caption_aiortc.py: one speaker's audio → 16 kHz mono float32.

    python bench/caption_receivers.py socket PORT | aiortc

Reads the benchmark's commands as JSON lines on stdin (offer, stats, offline, quit) and answers
each with a JSON line on stdout carrying its counters: process CPU time (all threads), thread CPU
time spent in Opus decoding + resampling, RSS, samples produced and when each speaker's first
audio arrived (time.monotonic, the same clock as the benchmark's).
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
RATE = 16_000


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Receiver:
    """What both kinds of receiver count; answers the benchmark's commands on stdin."""

    def __init__(self) -> None:
        self.samples = 0
        self.first: list[float] = []
        self.decode_cpu = 0.0  # thread CPU time in Opus decoding + resampling
        self.lock = threading.Lock()
        self.kept: list[bytes] = []  # the first speaker's first messages/packets, for `offline`

    def add_decode(self, seconds: float) -> None:
        with self.lock:
            self.decode_cpu += seconds

    def got(self, samples: int, index: int) -> None:
        if samples and self.first[index] == 0.0:
            self.first[index] = time.monotonic()
        self.samples += samples

    def stats(self) -> dict[str, Any]:
        return {
            "cpu": time.process_time(),
            "decode_cpu": self.decode_cpu,
            "rss_kib": rss_kib(),
            "samples": self.samples,
            "first": self.first,
            "now": time.monotonic(),
        }

    async def offer(self, sdp: str) -> dict[str, Any]:
        raise NotImplementedError

    def decode_all(self, packets: list[bytes]) -> int:
        """Decode + resample to 16 kHz with fresh decoders; returns the samples."""
        raise NotImplementedError

    def offline(self) -> float:
        """CPU ms per second of audio for decoding alone: the kept packets, best of 3, no I/O."""
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            samples = self.decode_all(self.kept)
            best = min(best, (time.process_time() - start) / (samples / RATE) * 1000)
        return round(best, 2)

    async def serve(self, hello: dict[str, Any]) -> None:
        loop = asyncio.get_running_loop()
        print(json.dumps({**hello, **self.stats()}), flush=True)
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            command = json.loads(line or '{"cmd": "quit"}')
            if command["cmd"] == "quit":
                return
            reply: dict[str, Any] = {}
            if command["cmd"] == "offer":
                reply = await self.offer(command["sdp"])
            elif command["cmd"] == "offline":
                reply = {"offline_ms_per_audio_s": self.offline()}
            print(json.dumps({**reply, **self.stats()}), flush=True)


class SocketReceiver(Receiver):
    def __init__(self) -> None:
        super().__init__()
        from videocontact.language.stt.opus import OpusStream

        self.stream_class = OpusStream
        self.decode_all([])  # libraries loaded before the idle figures

    def decode_all(self, packets: list[bytes]) -> int:
        stream = self.stream_class()
        return sum(len(stream.decode(message)) for message in packets)

    async def handler(self, ws: Any) -> None:
        stream, index = self.stream_class(), len(self.first)
        self.first.append(0.0)
        async for message in ws:
            if index == 0 and len(self.kept) < 300:
                self.kept.append(message)
            start = time.thread_time()
            samples = stream.decode(message)
            self.add_decode(time.thread_time() - start)
            self.got(len(samples), index)

    async def run(self, port: int) -> None:
        import websockets

        async with websockets.serve(self.handler, "127.0.0.1", port):
            await self.serve({"url": f"ws://127.0.0.1:{port}/audio"})


class AiortcReceiver(Receiver):
    def __init__(self) -> None:
        super().__init__()
        import aioice.ice
        import av
        from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
        from aiortc.codecs.opus import OpusDecoder

        # Only loopback exists here; aioice leaves 127.0.0.1 out of its host candidates.
        aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]
        decode = OpusDecoder.decode
        self.first_decoder: Any = None

        def timed(decoder: Any, frame: Any) -> Any:  # runs in aiortc's decoder thread
            if self.first_decoder is None:
                self.first_decoder = decoder
            if decoder is self.first_decoder and len(self.kept) < 1500:
                self.kept.append(frame.data)
            start = time.thread_time()
            try:
                return decode(decoder, frame)
            finally:
                self.add_decode(time.thread_time() - start)

        OpusDecoder.decode = timed  # type: ignore[method-assign]
        self.decode, self.decoder_class = decode, OpusDecoder
        self.av = av
        self.decode_all([])  # libraries loaded before the idle figures
        self.classes = RTCConfiguration, RTCPeerConnection, RTCSessionDescription
        self.peers: list[Any] = []
        self.tasks: set[asyncio.Task[None]] = set()

    def decode_all(self, packets: list[bytes]) -> int:
        from aiortc.jitterbuffer import JitterFrame

        decoder, samples = self.decoder_class(), 0
        resampler = self.av.AudioResampler(format="flt", layout="mono", rate=RATE)
        for number, data in enumerate(packets):
            for frame in self.decode(decoder, JitterFrame(data=data, timestamp=number * 960)):
                samples += sum(out.samples for out in resampler.resample(frame))
        return samples

    async def consume(self, track: Any, index: int) -> None:
        resampler = self.av.AudioResampler(format="flt", layout="mono", rate=RATE)
        while True:
            try:
                frame = await track.recv()
            except Exception:  # MediaStreamError: the peer went away
                return
            start = time.thread_time()
            samples = sum(out.samples for out in resampler.resample(frame))
            self.add_decode(time.thread_time() - start)
            self.got(samples, index)

    async def offer(self, sdp: str) -> dict[str, Any]:
        configuration, peer_connection, description = self.classes
        pc = peer_connection(configuration(iceServers=[]))
        self.peers.append(pc)
        index = len(self.first)
        self.first.append(0.0)

        @pc.on("track")
        def on_track(track: Any) -> None:
            task = asyncio.ensure_future(self.consume(track, index))
            self.tasks.add(task)

        await pc.setRemoteDescription(description(sdp=sdp, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return {"sdp": pc.localDescription.sdp}

    async def run(self) -> None:
        await self.serve({})
        for pc in self.peers:
            await pc.close()


if __name__ == "__main__":
    if sys.argv[1] == "socket":
        asyncio.run(SocketReceiver().run(int(sys.argv[2])))
    else:
        asyncio.run(AiortcReceiver().run())
