import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";

import {
  AUDIO_BPS, AudioOnlyAdvisor, DOWN_AFTER, FLOOR, Ladder, MAX_UP_AFTER, PROBE_FIRST_MS, PROBE_MAX_MS,
  RUNGS, UP_AFTER, WEAK_AFTER, assess, encodingFor, readSample, rungFor,
} from "../../src/videocontact/static/videocontact/js/adapt.js";

const clean = (estimate) => ({ estimate, loss: 0, rtt: 0.05 });
const feed = (ladder, sample, n) => {
  let rung = ladder.rung;
  for (let i = 0; i < n; i += 1) rung = ladder.update(sample);
  return rung;
};

test("the rung that fits an estimate leaves room for the audio", () => {
  assert.equal(rungFor(null), FLOOR);
  assert.equal(rungFor(5_000_000), 0);
  assert.equal(rungFor(300_000), 2); // 300k × 0.7 fits, 600k × 0.7 does not
  assert.equal(rungFor(10_000), FLOOR);
  assert.equal(assess(clean(AUDIO_BPS + 100_000), 0), "bad");
  assert.equal(assess(clean(5_000_000), 0), "good");
  assert.equal(assess({ estimate: 5_000_000, loss: 0.2, rtt: 0.05 }, 0), "bad");
  assert.equal(assess({ estimate: null, loss: null, rtt: 1.2 }, 2), "bad");
  assert.equal(assess({ estimate: null, loss: 0.05, rtt: 0.1 }, 2), "ok"); // some loss: hold
});

test("one bad sample does not step down; two step down at once to the rung that fits", () => {
  const ladder = new Ladder();
  assert.equal(ladder.update(clean(200_000)), 0);
  assert.equal(ladder.update(clean(200_000)), 3); // 160k budget: 150k × 0.7 fits, 300k × 0.7 not
  assert.equal(DOWN_AFTER, 2);
});

test("loss without an estimate steps down one rung at a time", () => {
  const ladder = new Ladder(1);
  const lossy = { estimate: null, loss: 0.2, rtt: 0.1 };
  assert.equal(feed(ladder, lossy, 2), 2);
  assert.equal(feed(ladder, lossy, 2), 3);
});

test("climbing needs UP_AFTER good samples, and a failed climb doubles the wait", () => {
  const ladder = new Ladder(2);
  assert.equal(feed(ladder, clean(2_000_000), UP_AFTER - 1), 2);
  assert.equal(ladder.update(clean(2_000_000)), 1);
  // The climb fails at once: down again, and the next climb waits twice as long.
  assert.equal(feed(ladder, clean(AUDIO_BPS + 300_000), 2), 2);
  assert.equal(ladder.upAfter, UP_AFTER * 2);
  assert.equal(feed(ladder, clean(2_000_000), UP_AFTER * 2 - 1), 2);
  assert.equal(ladder.update(clean(2_000_000)), 1);
});

test("weak only at the floor and after WEAK_AFTER bad samples; the offer follows", () => {
  const ladder = new Ladder();
  const starved = { estimate: 60_000, loss: 0.15, rtt: 0.3 };
  feed(ladder, starved, DOWN_AFTER);
  assert.equal(ladder.rung, FLOOR);
  assert.equal(ladder.weak, false);
  feed(ladder, starved, WEAK_AFTER - DOWN_AFTER);
  assert.equal(ladder.weak, true);
  ladder.update(clean(2_000_000));
  assert.equal(ladder.weak, false);
  const advisor = new AudioOnlyAdvisor();
  assert.equal(advisor.watch(false, 0), false);
  assert.equal(advisor.watch(true, 1000), true);
  assert.equal(advisor.watch(false, 2000), false); // the network got better: the offer goes
  assert.equal(advisor.watch(true, 3000), true);
  advisor.decline(3000);
  assert.equal(advisor.watch(true, 4000), false); // "keep the picture": not asked again soon
  assert.equal(advisor.watch(true, 3000 + PROBE_MAX_MS), true);
});

test("sound only: clean audio for a while brings a try of video; a failed try waits longer", () => {
  const advisor = new AudioOnlyAdvisor();
  advisor.choose(0);
  assert.equal(advisor.mode, "audio-only");
  assert.equal(advisor.probeDue(true, PROBE_FIRST_MS - 1), false);
  assert.equal(advisor.probeDue(false, PROBE_FIRST_MS), false); // audio troubled: start over
  assert.equal(advisor.probeDue(true, PROBE_FIRST_MS + 1), false);
  assert.equal(advisor.probeDue(true, 2 * PROBE_FIRST_MS + 1), true);
  assert.equal(advisor.probeDue(true, 2 * PROBE_FIRST_MS + 2), false); // one try at a time
  assert.equal(advisor.probeResult(false, 20_000), "audio-only");
  assert.equal(advisor.probeDue(true, 20_000 + PROBE_FIRST_MS), false);
  assert.equal(advisor.probeDue(true, 20_000 + 2 * PROBE_FIRST_MS), true);
  assert.equal(advisor.probeResult(true, 40_000), "video");
  assert.equal(advisor.watch(false, 41_000), false);
});

test("any sequence of samples keeps the ladder on a rung and the wait bounded", () => {
  const sample = fc.record({
    estimate: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }),
    loss: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    rtt: fc.option(fc.double({ min: 0, max: 3, noNaN: true }), { nil: null }),
  });
  fc.assert(fc.property(fc.array(sample, { maxLength: 200 }), (samples) => {
    const ladder = new Ladder();
    let previous = 0;
    for (const s of samples) {
      const rung = ladder.update(s);
      assert.ok(Number.isInteger(rung) && rung >= 0 && rung <= FLOOR);
      assert.ok(rung >= previous - 1, "climbs one rung at a time");
      previous = rung;
      assert.ok(ladder.upAfter >= UP_AFTER && ladder.upAfter <= MAX_UP_AFTER);
    }
  }));
});

test("hysteresis: an estimate that wobbles around a rung's edge does not see-saw", () => {
  const ladder = new Ladder(2);
  let changes = 0;
  let rung = ladder.rung;
  for (let i = 0; i < 120; i += 1) {
    const next = ladder.update(clean(AUDIO_BPS + (i % 2 ? 230_000 : 400_000)));
    if (next !== rung) changes += 1;
    rung = next;
  }
  assert.ok(changes <= 2, `${changes} changes`);
});

test("readSample takes the estimate, round trip and the video loss since the last sample", () => {
  const report = (sent, lost, audioSent, audioLost) => new Map([
    ["p", { id: "p", type: "candidate-pair", nominated: true, state: "succeeded", availableOutgoingBitrate: 250_000, currentRoundTripTime: 0.12 }],
    ["v", { id: "v", type: "outbound-rtp", kind: "video", packetsSent: sent, framesPerSecond: 15, frameHeight: 180, qualityLimitationReason: "bandwidth" }],
    ["a", { id: "a", type: "outbound-rtp", kind: "audio", packetsSent: audioSent }],
    ["rv", { id: "rv", type: "remote-inbound-rtp", localId: "v", packetsLost: lost, fractionLost: 0.5 }],
    ["ra", { id: "ra", type: "remote-inbound-rtp", kind: "audio", packetsLost: audioLost }],
  ]);
  const first = readSample(report(100, 0, 50, 0));
  assert.equal(first.estimate, 250_000);
  assert.equal(first.rtt, 0.12);
  assert.equal(first.loss, 0.5); // no earlier counters: the receiver's fraction
  assert.equal(first.limited, true);
  assert.equal(first.height, 180);
  const next = readSample(report(200, 10, 100, 0), first.counters);
  assert.equal(next.loss, 0.1);
  assert.equal(next.audioLoss, 0);
});

test("a rung's encoding parameters keep the others and drop caps the rung does not have", () => {
  const low = encodingFor(FLOOR, { rid: "x", priority: "low" });
  assert.deepEqual(low, { rid: "x", priority: "low", active: true, scaleResolutionDownBy: RUNGS[FLOOR].scale,
    maxBitrate: RUNGS[FLOOR].maxBitrate, maxFramerate: RUNGS[FLOOR].fps });
  const top = encodingFor(0, low, false);
  assert.equal(top.active, false);
  assert.equal(top.scaleResolutionDownBy, 1);
  assert.ok(!("maxBitrate" in top) && !("maxFramerate" in top));
});
