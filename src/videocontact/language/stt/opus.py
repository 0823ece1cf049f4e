"""Opus from the browser (WebCodecs `AudioEncoder`) → 16 kHz mono float32 for recognition.

One message on the captions socket carries a few Opus packets, each behind its length as a
2-byte big-endian number (caption-audio.js sends ~100 ms per message). PyAV's libopus/ffmpeg
decoder runs in memory; decoding is ~1 ms per second of audio, cheap enough for the event loop."""

from __future__ import annotations

import numpy as np

from videocontact.language.errors import LanguageError
from videocontact.language.stt.engine import SAMPLE_RATE

MAX_PACKET = 1275 * 3  # the largest legal Opus packet (RFC 6716, 3.4)


class BadAudio(LanguageError):
    code = "captions_bad_audio"


def split_packets(message: bytes) -> list[bytes]:
    packets, position = [], 0
    while position < len(message):
        if position + 2 > len(message):
            raise BadAudio("a packet length is cut off")
        length = int.from_bytes(message[position : position + 2], "big")
        position += 2
        if not 0 < length <= MAX_PACKET or position + length > len(message):
            raise BadAudio("a packet length does not fit the message")
        packets.append(message[position : position + length])
        position += length
    return packets


class OpusStream:
    """The decoder for one speaker's stream (it keeps state between packets)."""

    def __init__(self) -> None:
        import av  # optional at import time: PCM needs no decoder

        self._av = av
        self.decoder = av.CodecContext.create("opus", "r")
        self.decoder.sample_rate = 48_000
        self.decoder.layout = "mono"
        self.resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)

    def decode(self, message: bytes) -> np.ndarray:
        out: list[np.ndarray] = []
        for packet in split_packets(message):
            try:
                frames = self.decoder.decode(self._av.Packet(packet))
            except self._av.error.FFmpegError as exc:
                raise BadAudio(f"not an Opus packet: {exc}") from exc
            for frame in frames:
                for resampled in self.resampler.resample(frame):
                    out.append(resampled.to_ndarray().reshape(-1))
        if not out:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(out).astype(np.float32, copy=False)
