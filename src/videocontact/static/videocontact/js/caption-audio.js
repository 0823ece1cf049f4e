// The microphone → captions socket (ADR 0008). Opus from WebCodecs' AudioEncoder where the
// browser has it (~24 kbit/s); 16 kHz 16-bit PCM otherwise (256 kbit/s). Either way ~100 ms per
// message; while the call's microphone is muted the page sends silence. The socket reconnects by
// itself (caption-link.js); while it is down the microphone's audio is dropped.
//
// Opus message: the packets of ~100 ms, each behind its length (2 bytes, big-endian).

import { CaptionLink } from "./caption-link.js";

const RATE = 16000;
const CHUNK = 1600; // 100 ms at 16 kHz
const OPUS = {
  codec: "opus", sampleRate: RATE, numberOfChannels: 1, bitrate: 24000,
  opus: { frameDuration: 20000, complexity: 5 },
};
const OPUS_BATCH_US = 100000;

/** @typedef {(message: ArrayBuffer) => unknown} Send */

/** "opus" when this browser can encode it, else "pcm". window.vcCaptionCodec forces one. */
export async function chooseCodec() {
  if (window.vcCaptionCodec) return window.vcCaptionCodec;
  if (typeof AudioEncoder !== "function" || typeof AudioData !== "function") return "pcm";
  try {
    return (await AudioEncoder.isConfigSupported(OPUS)).supported ? "opus" : "pcm";
  } catch {
    return "pcm";
  }
}

/** @param {Send} send */
function pcmSink(send) {
  const buffer = new Int16Array(CHUNK);
  let filled = 0;
  return {
    push(samples) {
      for (let i = 0; i < samples.length; i += 1) {
        const value = Math.max(-1, Math.min(1, samples[i]));
        buffer[filled] = value < 0 ? value * 0x8000 : value * 0x7fff;
        filled += 1;
        if (filled === CHUNK) {
          send(buffer.buffer.slice(0));
          filled = 0;
        }
      }
    },
    close() {},
  };
}

/** @param {Send} sendMessage @param {() => void} onError */
function opusSink(sendMessage, onError) {
  /** @type {Uint8Array[]} */
  let packets = [];
  let batchStart = null;
  const send = () => {
    const size = packets.reduce((sum, p) => sum + 2 + p.length, 0);
    const message = new Uint8Array(size);
    let at = 0;
    for (const packet of packets) {
      message[at] = packet.length >> 8;
      message[at + 1] = packet.length & 0xff;
      message.set(packet, at + 2);
      at += 2 + packet.length;
    }
    if (size) sendMessage(message.buffer);
    packets = [];
  };
  const encoder = new AudioEncoder({
    output: (chunk) => {
      const bytes = new Uint8Array(chunk.byteLength);
      chunk.copyTo(bytes);
      if (batchStart === null) batchStart = chunk.timestamp;
      packets.push(bytes);
      if (chunk.timestamp + (chunk.duration || 0) - batchStart >= OPUS_BATCH_US) {
        send();
        batchStart = null;
      }
    },
    error: onError,
  });
  encoder.configure(OPUS);
  const block = new Float32Array(CHUNK);
  let filled = 0;
  let sent = 0; // samples handed to the encoder: the timestamps
  return {
    push(samples) {
      for (let i = 0; i < samples.length; i += 1) {
        block[filled] = samples[i];
        filled += 1;
        if (filled === CHUNK) {
          const data = new AudioData({
            format: "f32", sampleRate: RATE, numberOfFrames: CHUNK, numberOfChannels: 1,
            timestamp: Math.round((sent * 1e6) / RATE), data: block,
          });
          encoder.encode(data);
          data.close();
          sent += CHUNK;
          filled = 0;
        }
      }
    },
    close() {
      if (encoder.state !== "closed") encoder.close();
    },
  };
}

/**
 * Start sending. `url` is the captions socket; `muted()` says whether the call's microphone is
 * off; `onFail` is called once when the microphone or the encoder cannot be used; `onLink` with
 * the socket's state ("open", "down" while it reconnects, "closed" for good, caption-link.js).
 * The sender stops itself (the microphone is released) when the socket closes for good.
 * Returns { stop(), stopped, codec, link }.
 * @param {{url: string, muted: () => boolean, onFail: () => void,
 *   onLink?: (state: import("./caption-link.js").LinkState, code?: number) => void}} options
 */
export async function startCaptionAudio({ url, muted, onFail, onLink = () => {} }) {
  /** @type {any} */
  const sender = { stopped: false, codec: await chooseCodec() };
  sender.stop = () => {
    if (sender.stopped) return;
    sender.stopped = true;
    sender.node?.disconnect();
    sender.stream?.getTracks().forEach((/** @type {MediaStreamTrack} */ track) => track.stop());
    sender.context?.close().catch(() => {});
    sender.sink?.close();
    sender.link?.close();
  };
  try {
    sender.stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, channelCount: 1 },
    });
    sender.context = new AudioContext({ sampleRate: RATE });
    await sender.context.audioWorklet.addModule(new URL("./pcm-worklet.js", import.meta.url));
    if (sender.stopped) throw new Error("stopped");
    const source = sender.context.createMediaStreamSource(sender.stream);
    sender.node = new AudioWorkletNode(sender.context, "pcm-capture");
    const link = new CaptionLink(`${url}?codec=${sender.codec}`, {
      onState: (state, code) => {
        if (state === "closed") sender.stop();
        onLink(state, code);
      },
    });
    sender.link = link;
    const fail = () => { if (!sender.stopped) onFail(); sender.stop(); };
    const send = (/** @type {ArrayBuffer} */ message) => link.send(message);
    sender.sink = sender.codec === "opus" ? opusSink(send, fail) : pcmSink(send);
    const silence = new Float32Array(128);
    sender.node.port.onmessage = (/** @type {MessageEvent} */ event) => {
      if (!link.isOpen) return; // down: this audio is dropped, not kept for later
      const samples = event.data;
      sender.sink.push(muted() ? (samples.length === 128 ? silence : new Float32Array(samples.length)) : samples);
    };
    link.connect();
    source.connect(sender.node);
    sender.context.resume();
  } catch {
    if (!sender.stopped) onFail();
    sender.stop();
  }
  return sender;
}
