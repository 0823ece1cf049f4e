// node --test: the call-quality summary a browser sends as the `stats` frame.
import assert from "node:assert/strict";
import { test } from "node:test";

import { statsFrame, summariseStats } from "../../src/videocontact/static/videocontact/js/insights.js";

function report(entries) {
  return new Map(entries.map((e) => [e.id, e]));
}

const PAIR = [
  { id: "L", type: "local-candidate", candidateType: "host" },
  { id: "R", type: "remote-candidate", candidateType: "relay" },
  { id: "P", type: "candidate-pair", nominated: true, state: "succeeded", currentRoundTripTime: 0.042,
    localCandidateId: "L", remoteCandidateId: "R" },
];

test("one connection: round trip, jitter, loss and bitrate over the interval", () => {
  const stats = report([
    ...PAIR,
    { id: "A", type: "inbound-rtp", kind: "audio", jitter: 0.004, packetsLost: 10, packetsReceived: 990, bytesReceived: 50_000 },
    { id: "V", type: "inbound-rtp", kind: "video", jitter: 0.012, packetsLost: 0, packetsReceived: 1000,
      bytesReceived: 1_000_000, framesPerSecond: 24, frameWidth: 640, frameHeight: 480 },
  ]);
  const before = { lost: 5, received: 1495, bytes: 50_000, at: 0 };
  const out = summariseStats(stats, before, 10_000);
  assert.equal(out.rtt, 42);
  assert.equal(out.relay, true);
  assert.equal(out.jitter, 12);
  assert.equal(out.lossPct, 1); // 5 lost, 495 received in the interval
  assert.equal(out.kbps, 800); // 1 000 000 bytes in 10 s
  assert.deepEqual([out.fps, out.width, out.height], [24, 640, 480]);
});

test("several peers: the worst delay and loss, summed bitrate, lowest frame rate", () => {
  const frame = statsFrame(
    [
      { rtt: 40, jitter: 3, lossPct: 0.5, kbps: 600, fps: 30, width: 1280, height: 720, relay: false },
      { rtt: 250.123, jitter: null, lossPct: 4, kbps: 400, fps: 12, width: 640, height: 360, relay: true },
    ],
    { iceRestarts: 1, reconnects: 2 },
  );
  assert.deepEqual(frame, {
    rttMs: 250.1, jitterMs: 3, lossPct: 4, bitrateKbps: 1000, fps: 12,
    width: 1280, height: 720, relay: true, iceRestarts: 1, reconnects: 2,
  });
});

test("values stay inside the server's ranges; unknown ones are left out", () => {
  const frame = statsFrame([{ rtt: 90_000, jitter: NaN, lossPct: null, kbps: 1e9, fps: null, width: 10_000, height: 0 }],
    { iceRestarts: 5000, reconnects: -1 });
  assert.equal(frame.rttMs, 60000);
  assert.equal(frame.bitrateKbps, 100000);
  assert.equal(frame.width, 8192);
  assert.equal(frame.iceRestarts, 1000);
  assert.equal(frame.reconnects, 0);
  assert.ok(!("jitterMs" in frame) && !("lossPct" in frame) && !("fps" in frame));
});
