import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";

import {
  FAST_PERIOD_MS, FAST_CEILING_MS, FIRST_RETRY_MS, SLOW_CEILING_MS, reconnectDelay,
} from "../../src/videocontact/static/videocontact/js/backoff.js";

test("the first retry is fast: 100-250 ms", () => {
  assert.equal(reconnectDelay(0, 0, () => 0), FIRST_RETRY_MS[0]);
  assert.ok(reconnectDelay(0, 0, () => 0.999) < FIRST_RETRY_MS[1]);
});

test("later retries double with jitter and never exceed 1 s in the first minute", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: FAST_PERIOD_MS - 1 }),
    fc.double({ min: 0, max: 0.9999, noNaN: true }),
    (attempt, downFor, r) => {
      const delay = reconnectDelay(attempt, downFor, () => r);
      return delay > 0 && delay <= FAST_CEILING_MS;
    }));
  assert.ok(reconnectDelay(1, 0, () => 1) < reconnectDelay(2, 0, () => 1));
});

test("a long outage slows down to at most 5 s", () => {
  fc.assert(fc.property(fc.integer({ min: 8, max: 10_000 }), fc.integer({ min: FAST_PERIOD_MS, max: 3_600_000 }),
    fc.double({ min: 0, max: 0.9999, noNaN: true }),
    (attempt, downFor, r) => {
      const delay = reconnectDelay(attempt, downFor, () => r);
      return delay >= SLOW_CEILING_MS / 2 && delay <= SLOW_CEILING_MS;
    }));
});

test("the sum of delays: a server back after t seconds is reached within t + 1 s", () => {
  // Simulate: the server answers at `downFor` ms; the socket retries on the schedule.
  fc.assert(fc.property(fc.integer({ min: 0, max: 55_000 }), fc.double({ min: 0, max: 0.9999, noNaN: true }),
    (downFor, r) => {
      let t = 0;
      let attempt = 0;
      while (t < downFor) {
        t += reconnectDelay(attempt, t, () => r);
        attempt += 1;
      }
      return t - downFor <= FAST_CEILING_MS;
    }));
});
