// node --test: what the caseworker reads about a participant's SMS code step (call-lobby.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { codeLabel } from "../../src/videocontact/static/videocontact/js/call-lobby.js";

const S = {
  codeSending: "sending", codeExpired: "expired", codeLocked: "locked", codeSendFailed: "failed",
  codeNotRequested: "not requested", codeWaiting: "code %(n)s of %(m)s",
};

test("no code step, a verified code or a declined participant: nothing to say", () => {
  assert.equal(codeLabel({ state: "waiting" }, S), "");
  assert.equal(codeLabel({ state: "waiting", code: null }, S), "");
  assert.equal(codeLabel({ state: "consented", code: { state: "verified" } }, S), "");
  assert.equal(codeLabel({ state: "declined", code: { state: "locked" } }, S), "");
});

test("an invited resident who has not asked for a code yet is not stuck", () => {
  assert.equal(codeLabel({ state: "invited", code: { state: "not_requested" } }, S), "");
  assert.equal(codeLabel({ state: "consented", code: { state: "not_requested" } }, S), "not requested");
});

test("waiting for the code: the attempts so far of the most", () => {
  assert.equal(codeLabel({ state: "invited", code: { state: "waiting", attempts: 2, maxAttempts: 5 } }, S), "code 2 of 5");
});

test("every other state has its own text; an unknown one none", () => {
  for (const [state, text] of [["sending", "sending"], ["expired", "expired"], ["locked", "locked"], ["send_failed", "failed"]]) {
    assert.equal(codeLabel({ state: "invited", code: { state } }, S), text);
  }
  assert.equal(codeLabel({ state: "invited", code: { state: "new" } }, S), "");
});
