// The questionnaire's writes on the socket (form-transport.js): refs, pipelining, what goes out
// again after a reconnect and in which order, and `error` frames for a write.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FormTransport } from "../../src/videocontact/static/videocontact/js/form-transport.js";

const DEFINITION = {
  sections: [
    { id: "s1", questions: [
      { id: "name", type: "short_text" },
      { id: "intro", type: "info" },
      { id: "age", type: "number" },
    ] },
    { id: "s2", questions: [{ id: "pets", type: "yes_no" }, { id: "sig", type: "signature" }] },
  ],
};

// A socket that records frames (or refuses them while down) and timers run by hand.
function setUp({ locked = false } = {}) {
  const sent = [];
  const socket = { up: true, send(type, payload) { if (!this.up) return false; sent.push({ type, ...payload }); return true; } };
  const due = new Map();
  let next = 0;
  const timers = {
    setTimeout(fn) { next += 1; due.set(next, fn); return next; },
    clearTimeout(id) { due.delete(id); },
  };
  const tick = () => { const fns = [...due.values()]; due.clear(); for (const fn of fns) fn(); };
  let updates = 0;
  const transport = new FormTransport({ socket, timers, locked: () => locked, onUpdate: () => { updates += 1; } });
  transport.reset(DEFINITION);
  transport.snapshot({});
  return { transport, socket, sent, tick, updates: () => updates };
}

test("only answerable questions get a field", () => {
  const { transport } = setUp();
  assert.deepEqual([...transport.fields.keys()], ["name", "age", "pets"]);
});

test("typing goes out on the next tick, one write per burst, pipelined on the write in flight", () => {
  const { transport, sent, tick } = setUp();
  transport.edit("name", "A", true);
  transport.edit("name", "An", true);
  assert.equal(sent.length, 0);
  tick();
  assert.deepEqual(sent, [{ type: "form-answer", question: "name", value: "An", base: 0, ref: "a1" }]);
  transport.edit("name", "Ann", true);
  tick();
  // Not waiting for the answer: based on the version the first write will produce.
  assert.deepEqual(sent[1], { type: "form-answer", question: "name", value: "Ann", base: 1, ref: "a2" });
  transport.answer({ question: "name", value: "An", version: 1 });
  assert.ok(transport.busy());
  const out = transport.answer({ question: "name", value: "Ann", version: 2 });
  assert.ok(out.confirmed);
  assert.ok(!transport.busy());
  assert.equal(transport.failed("a2"), null); // answered: an error frame for it is not ours any more
});

test("a choice is saved at once; an answer from elsewhere replaces a field with nothing new", () => {
  const { transport, sent } = setUp();
  transport.edit("pets", true, false);
  assert.equal(sent.length, 1);
  transport.answer({ question: "pets", value: true, version: 1 });
  const out = transport.answer({ question: "pets", value: false, version: 2 });
  assert.ok(out.replaced);
  assert.equal(transport.fields.get("pets").value, false);
  assert.equal(transport.answer({ question: "unknown", value: 1, version: 1 }), null);
});

test("writes that could not go out are sent again after the reconnect, in questionnaire order", () => {
  const { transport, socket, sent } = setUp();
  socket.up = false;
  transport.edit("pets", true, false);
  transport.edit("name", "Bo", false);
  transport.edit("age", 42, false);
  assert.ok(transport.offline);
  assert.equal(sent.length, 0);
  socket.up = true;
  // The new socket's snapshot: someone had saved "name" meanwhile (version 3).
  const resend = transport.snapshot({ name: { value: "Bob", version: 3 } });
  assert.ok(!transport.offline);
  assert.deepEqual(resend, ["name", "age", "pets"]);
  transport.resend(resend);
  assert.deepEqual(sent.map((f) => [f.question, f.value, f.base]), [["name", "Bo", 3], ["age", 42, 0], ["pets", true, 0]]);
  assert.deepEqual(sent.map((f) => f.ref), ["a4", "a5", "a6"]); // every ref is new, also after a failed send
});

test("a write in flight at the reconnect: resent on the server's version unless it landed", () => {
  const { transport, sent } = setUp();
  transport.edit("name", "Cy", false);
  transport.edit("age", 7, false);
  // The socket dropped: "name" landed (its echo was lost), "age" did not.
  const resend = transport.snapshot({ name: { value: "Cy", version: 1 } });
  assert.deepEqual(resend, ["age"]);
  assert.equal(transport.refs.size, 0); // the old socket's refs are gone
  transport.resend(resend);
  assert.deepEqual(sent.at(-1), { type: "form-answer", question: "age", value: 7, base: 0, ref: "a3" });
  assert.ok(transport.fields.get("name").saved);
});

test("a field being typed in at the reconnect is not sent twice: its timer sends it", () => {
  const { transport, sent, tick } = setUp();
  transport.edit("name", "Di", true);
  const resend = transport.snapshot({});
  assert.deepEqual(resend, []);
  tick();
  assert.equal(sent.length, 1);
  assert.equal(sent[0].base, 0);
});

test("a conflict with our own earlier write rebases the newest value onto the server's", () => {
  const { transport, sent } = setUp();
  transport.edit("name", "E", false); // a1, base 0
  transport.snapshot({ name: { value: null, version: 0 } }); // reconnect: a1 seemed lost
  transport.resend(["name"]); // a2, base 0 — but a1 had landed after all
  const out = transport.rejected({ question: "name", code: "conflict", current: { value: "E", version: 1 } });
  assert.equal(out.resend, false); // the server has our value: nothing to send
  assert.ok(transport.fields.get("name").saved);
  transport.edit("name", "Ed", false);
  assert.deepEqual(sent.at(-1), { type: "form-answer", question: "name", value: "Ed", base: 1, ref: "a3" });
});

test("an error frame for a write names its question once; other refs are not ours", () => {
  const { transport } = setUp();
  transport.edit("age", 5, false);
  assert.equal(transport.failed("a1"), "age");
  assert.equal(transport.failed("a1"), null);
  assert.equal(transport.failed("s9"), null);
  assert.equal(transport.failed(undefined), null);
  assert.equal(transport.fields.get("age").inflight, null);
});

test("nothing is written while the form is signed", () => {
  const { transport, sent } = setUp({ locked: true });
  transport.edit("name", "F", false);
  assert.equal(sent.length, 0);
});

test("settled resolves once every write is answered", async () => {
  const sent = [];
  const transport = new FormTransport({ socket: { send: (type, payload) => sent.push(payload) > 0 } });
  transport.reset(DEFINITION);
  transport.edit("pets", false, false);
  const settled = transport.settled(2000);
  setTimeout(() => transport.answer({ question: "pets", value: false, version: 1 }), 60);
  assert.equal(await settled, true);
  transport.edit("pets", true, false);
  assert.equal(await transport.settled(100), false);
  assert.equal(transport.nextRef("s"), "s3");
});
