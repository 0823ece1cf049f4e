import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";

import {
  GRACE_MS, MAX_RETRY_MS, RecoveryPolicy, combinedState,
} from "../../src/videocontact/static/videocontact/js/recovery.js";

test("Chromium's 'failed' connectionState counts even while ICE says 'disconnected'", () => {
  assert.equal(combinedState("failed", "disconnected"), "failed");
  assert.equal(combinedState("connected", "disconnected"), "disconnected");
  assert.equal(combinedState("connected", "connected"), "connected");
  assert.equal(combinedState("connected", "completed"), "connected");
  assert.equal(combinedState("new", "new"), "new");
  assert.equal(combinedState("connecting", "checking"), "checking");
});

test("a first connection that is still checking is left alone", () => {
  const policy = new RecoveryPolicy();
  assert.equal(policy.update("new", 0), null);
  assert.equal(policy.update("checking", 10), null);
  assert.equal(policy.update("connected", 20), null);
});

test("disconnected: restart after the grace; failed: restart at once", () => {
  const policy = new RecoveryPolicy();
  assert.equal(policy.update("disconnected", 1000), GRACE_MS);
  assert.equal(policy.update("disconnected", 2000), GRACE_MS - 1000);
  assert.equal(policy.update("failed", 2500), 0);
  policy.restarted(2500);
  assert.equal(policy.update("checking", 2600), 900);
  policy.update("connected", 3000);
  assert.equal(policy.recovering, false);
  assert.equal(policy.update("failed", 9000), 0);
});

test("while the path stays down, restarts repeat and never stop (at most 1 s apart)", () => {
  fc.assert(fc.property(
    fc.array(fc.constantFrom("disconnected", "failed", "checking", "new"), { minLength: 1, maxLength: 200 }),
    fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 200, maxLength: 200 }),
    (states, steps) => {
      const policy = new RecoveryPolicy();
      let now = 0;
      let lastRestart = null;
      policy.update("disconnected", now);
      for (let i = 0; i < states.length; i += 1) {
        const wait = policy.update(states[i], now);
        if (wait === null) return false; // once down, a restart is always scheduled
        if (wait > Math.max(GRACE_MS, MAX_RETRY_MS)) return false;
        if (wait === 0 || steps[i] >= wait) {
          now += Math.min(wait, steps[i]);
          if (lastRestart !== null && now - lastRestart > MAX_RETRY_MS + 1) return false;
          policy.restarted(now);
          lastRestart = now;
        } else {
          now += steps[i];
        }
      }
      return true;
    }));
});

test("a nudge (socket back, network changed) restarts a connection that is not up", () => {
  const policy = new RecoveryPolicy();
  assert.equal(policy.nudge("connected", 0), null);
  assert.equal(policy.nudge("new", 0), null);
  assert.equal(policy.nudge("disconnected", 0), 0);
  assert.equal(policy.nudge("checking", 0), 0);
});
