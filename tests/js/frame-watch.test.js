// node --test: the frozen-picture rule of the call page (frame-watch.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DecodeWatch, FROZEN_AFTER_MS, KEYFRAME_AFTER_MS, STALLED_AFTER_MS,
} from "../../src/videocontact/static/videocontact/js/frame-watch.js";

const calm = { stalled: false, keyFrame: false };

test("a first reading decides nothing", () => {
  const watch = new DecodeWatch();
  assert.deepEqual(watch.observe("p1", 10, 0, true), { still: 0, ...calm, frozen: undefined });
});

test("new frames: not frozen, and the still time starts again", () => {
  const watch = new DecodeWatch();
  watch.observe("p1", 10, 0, true);
  assert.deepEqual(watch.observe("p1", 20, 500, true), { still: 0, ...calm, frozen: false });
  assert.equal(watch.observe("p1", 20, 1000, true).still, 500);
});

test("no new frame: stalled after 0.6 s (restart ICE), frozen after 2 s", () => {
  const watch = new DecodeWatch();
  watch.observe("p1", 10, 0, true);
  const at = (ms) => watch.observe("p1", 10, ms, true);
  assert.deepEqual(at(STALLED_AFTER_MS), { still: STALLED_AFTER_MS, ...calm, frozen: false });
  assert.deepEqual(at(STALLED_AFTER_MS + 1), { still: STALLED_AFTER_MS + 1, stalled: true, frozen: false, keyFrame: false });
  assert.deepEqual(at(FROZEN_AFTER_MS + 1), { still: FROZEN_AFTER_MS + 1, stalled: true, frozen: true, keyFrame: false });
});

test("packets arrive but nothing decodes for a second: ask for a key frame (not for a late frame)", () => {
  const watch = new DecodeWatch();
  watch.observe("p1", 10, 0, true, 100);
  assert.equal(watch.observe("p1", 10, 500, true, 120).keyFrame, false); // a late frame is normal
  assert.equal(watch.observe("p1", 10, KEYFRAME_AFTER_MS + 1, true, 140).keyFrame, true);
  assert.equal(watch.observe("p1", 10, KEYFRAME_AFTER_MS + 300, true, 140).keyFrame, false); // path down: no packets
  assert.equal(watch.observe("p1", 30, KEYFRAME_AFTER_MS + 600, true, 200).keyFrame, false); // decoding again
});

test("a camera that is off, or a picture that never started, is not frozen", () => {
  const off = new DecodeWatch();
  off.observe("p1", 10, 0, false);
  assert.deepEqual(off.observe("p1", 10, 5000, false, 50), { still: 0, ...calm, frozen: false });
  const never = new DecodeWatch();
  never.observe("p1", 0, 0, true);
  assert.deepEqual(never.observe("p1", 0, 5000, true, 50), { still: 0, ...calm, frozen: false });
});

test("peers that left are forgotten, and start over when they come back", () => {
  const watch = new DecodeWatch();
  watch.observe("p1", 10, 0, true);
  watch.observe("p2", 10, 0, true);
  assert.deepEqual(watch.prune((peerId) => peerId === "p2"), ["p1"]);
  assert.equal(watch.observe("p1", 10, 5000, true).frozen, undefined);
  assert.equal(watch.observe("p2", 10, 5000, true).frozen, true);
});
