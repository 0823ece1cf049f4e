// node --test: the frozen-picture rule of the call page (frame-watch.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DecodeWatch, FROZEN_AFTER_MS, STALLED_AFTER_MS,
} from "../../src/videocontact/static/videocontact/js/frame-watch.js";

test("a first reading decides nothing", () => {
  const watch = new DecodeWatch();
  assert.deepEqual(watch.observe("p1", 10, 0, true), { still: 0, stalled: false, frozen: undefined });
});

test("new frames: not frozen, and the still time starts again", () => {
  const watch = new DecodeWatch();
  watch.observe("p1", 10, 0, true);
  assert.deepEqual(watch.observe("p1", 20, 500, true), { still: 0, stalled: false, frozen: false });
  assert.equal(watch.observe("p1", 20, 1000, true).still, 500);
});

test("no new frame: stalled after 1 s (restart ICE), frozen after 2 s", () => {
  const watch = new DecodeWatch();
  watch.observe("p1", 10, 0, true);
  assert.deepEqual(watch.observe("p1", 10, STALLED_AFTER_MS, true), { still: 1000, stalled: false, frozen: false });
  assert.deepEqual(watch.observe("p1", 10, STALLED_AFTER_MS + 1, true), { still: 1001, stalled: true, frozen: false });
  assert.deepEqual(watch.observe("p1", 10, FROZEN_AFTER_MS + 1, true), { still: 2001, stalled: true, frozen: true });
});

test("a camera that is off, or a picture that never started, is not frozen", () => {
  const off = new DecodeWatch();
  off.observe("p1", 10, 0, false);
  assert.deepEqual(off.observe("p1", 10, 5000, false), { still: 0, stalled: false, frozen: false });
  const never = new DecodeWatch();
  never.observe("p1", 0, 0, true);
  assert.deepEqual(never.observe("p1", 0, 5000, true), { still: 0, stalled: false, frozen: false });
});

test("peers that left are forgotten, and start over when they come back", () => {
  const watch = new DecodeWatch();
  watch.observe("p1", 10, 0, true);
  watch.observe("p2", 10, 0, true);
  assert.deepEqual(watch.prune((peerId) => peerId === "p2"), ["p1"]);
  assert.equal(watch.observe("p1", 10, 5000, true).frozen, undefined);
  assert.equal(watch.observe("p2", 10, 5000, true).frozen, true);
});
