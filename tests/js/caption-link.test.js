import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";

import { reconnectDelay } from "../../src/videocontact/static/videocontact/js/backoff.js";
import {
  CaptionLink, FINAL_CLOSE_CODES, MAX_BUFFERED, STALL_MS,
} from "../../src/videocontact/static/videocontact/js/caption-link.js";

/** A WebSocket as the browser has it, driven by the test: opened, dropped, closed. */
class FakeSocket {
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.bufferedAmount = 0;
    this.binaryType = "blob";
    this.sent = [];
    this.closedWith = null;
    this.listeners = {};
  }

  addEventListener(type, handler) {
    (this.listeners[type] ||= []).push(handler);
  }

  fire(type, event = {}) {
    for (const handler of this.listeners[type] || []) handler(event);
  }

  opened() {
    this.readyState = 1;
    this.fire("open");
  }

  dropped(code = 1006) {
    this.readyState = 3;
    this.fire("close", { code });
  }

  send(data) {
    this.sent.push(data);
  }

  close(code) {
    this.closedWith = code;
    this.readyState = 2;
  }
}

/** A link on a fake clock: `advance(ms)` runs the timers that are due. */
function harness({ random = () => 0.5 } = {}) {
  const sockets = [];
  const states = [];
  let now = 1_000_000;
  let timers = [];
  const link = new CaptionLink("ws://test/ws/visits/v/captions/?codec=opus", {
    onState: (state, code) => states.push(code === undefined ? state : `${state} ${code}`),
    open: (url) => {
      const ws = new FakeSocket(url);
      sockets.push(ws);
      return ws;
    },
    setTimer: (fn, ms) => {
      const timer = { fn, at: now + ms };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => { timers = timers.filter((t) => t !== timer); },
    now: () => now,
    random,
  });
  const advance = (ms) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = until;
  };
  return { link, sockets, states, advance, pending: () => timers.length, now: () => now };
}

const audio = (n) => new Uint8Array([n]).buffer;

test("audio goes out while the socket is open", () => {
  const { link, sockets, states } = harness();
  link.connect();
  assert.equal(sockets[0].binaryType, "arraybuffer");
  assert.equal(link.send(audio(1)), false, "not open yet: dropped");
  sockets[0].opened();
  assert.equal(link.send(audio(2)), true);
  assert.deepEqual(sockets[0].sent.map((b) => new Uint8Array(b)[0]), [2]);
  assert.deepEqual(states, ["open"]);
});

test("a dropped socket comes back on the room socket's back-off; audio meanwhile is dropped", () => {
  const { link, sockets, states, advance } = harness({ random: () => 0.5 });
  link.connect();
  sockets[0].opened();
  sockets[0].dropped(1006);
  assert.deepEqual(states, ["open", "down 1006"]);
  for (let i = 0; i < 100; i += 1) assert.equal(link.send(audio(i)), false);
  assert.equal(link.dropped, 100);
  advance(reconnectDelay(0, 0, () => 0.5) - 1);
  assert.equal(sockets.length, 1, "not before the back-off's first delay");
  advance(1);
  assert.equal(sockets.length, 2);
  sockets[1].opened();
  assert.deepEqual(states, ["open", "down 1006", "open"]);
  link.send(audio(7));
  assert.deepEqual(sockets[1].sent.map((b) => new Uint8Array(b)[0]), [7], "nothing old is replayed");
});

test("while the server is down the attempts follow reconnectDelay, attempt by attempt", () => {
  const { link, sockets, advance, now } = harness({ random: () => 0.3 });
  link.connect();
  sockets[0].opened();
  const downAt = now();
  sockets[0].dropped();
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const expected = reconnectDelay(attempt, now() - downAt, () => 0.3);
    const before = sockets.length;
    advance(expected - 1);
    assert.equal(sockets.length, before, `attempt ${attempt}: too early`);
    advance(1);
    assert.equal(sockets.length, before + 1, `attempt ${attempt}: on time`);
    sockets.at(-1).dropped(1006); // refused: the server is still down
  }
});

test("a server back after t seconds (in the first minute) hears the microphone within t + 1 s", () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 55_000 }), fc.double({ min: 0, max: 0.9999, noNaN: true }),
    (downFor, r) => {
      const { link, sockets, advance, now } = harness({ random: () => r });
      link.connect();
      sockets[0].opened();
      const downAt = now();
      sockets[0].dropped();
      for (;;) {
        advance(10);
        const ws = sockets.at(-1);
        if (ws.readyState !== 0) continue;
        if (now() - downAt < downFor) ws.dropped();
        else {
          ws.opened();
          break;
        }
      }
      return link.isOpen && now() - downAt <= downFor + 1000 + 10;
    }));
});

test("a close that says no is final: no more attempts", () => {
  for (const code of FINAL_CLOSE_CODES) {
    const { link, sockets, states, advance, pending } = harness();
    link.connect();
    sockets[0].opened();
    sockets[0].dropped(code);
    advance(120_000);
    assert.equal(sockets.length, 1, `code ${code}`);
    assert.equal(pending(), 0);
    assert.deepEqual(states, ["open", `closed ${code}`]);
    link.reconnectNow();
    assert.equal(sockets.length, 1, "nor when nudged");
  }
});

test("the first connection refused by a down server is retried too", () => {
  const { link, sockets, states, advance } = harness();
  link.connect();
  sockets[0].dropped(1006);
  assert.deepEqual(states, ["down 1006"]);
  advance(1000);
  assert.equal(sockets.length, 2);
});

test("too much unsent audio is dropped, and a socket stuck that way is given up", () => {
  const { link, sockets, states, advance } = harness();
  link.connect();
  sockets[0].opened();
  sockets[0].bufferedAmount = MAX_BUFFERED + 1;
  assert.equal(link.send(audio(1)), false);
  advance(STALL_MS);
  assert.equal(link.send(audio(2)), false);
  assert.equal(sockets[0].closedWith, null, "not yet");
  advance(1);
  link.send(audio(3));
  assert.equal(sockets[0].closedWith, 4000);
  assert.deepEqual(states, ["open", "down 4000"]);
  assert.deepEqual(sockets[0].sent, []);
  advance(1000);
  assert.equal(sockets.length, 2, "a new socket");
});

test("a socket that drains again is not given up", () => {
  const { link, sockets, advance } = harness();
  link.connect();
  sockets[0].opened();
  sockets[0].bufferedAmount = MAX_BUFFERED + 1;
  link.send(audio(1));
  advance(STALL_MS - 100);
  sockets[0].bufferedAmount = 0;
  assert.equal(link.send(audio(2)), true);
  sockets[0].bufferedAmount = MAX_BUFFERED + 1;
  advance(STALL_MS - 100);
  link.send(audio(3));
  assert.equal(sockets[0].closedWith, null);
});

test("reconnectNow: at once while down, nothing while open or connecting", () => {
  const { link, sockets } = harness();
  link.connect();
  sockets[0].opened();
  link.reconnectNow();
  assert.equal(sockets.length, 1);
  sockets[0].dropped();
  link.reconnectNow();
  assert.equal(sockets.length, 2, "at once");
  link.reconnectNow();
  assert.equal(sockets.length, 2, "one attempt at a time");
});

test("close() is for good: the socket closes normally and nothing reconnects", () => {
  const { link, sockets, advance, pending } = harness();
  link.connect();
  sockets[0].opened();
  sockets[0].dropped();
  link.close();
  assert.equal(pending(), 0);
  advance(60_000);
  assert.equal(sockets.length, 1);
  const other = harness();
  other.link.connect();
  other.sockets[0].opened();
  other.link.close();
  assert.equal(other.sockets[0].closedWith, 1000);
  other.sockets[0].dropped(1000);
  assert.equal(other.link.send(audio(1)), false);
});
