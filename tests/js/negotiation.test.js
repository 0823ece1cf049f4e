// Perfect negotiation in call.js (Mesh) between two pages, with a fake RTCPeerConnection that
// follows the signalling state machine of the spec (stable / have-local-offer /
// have-remote-offer, implicit rollback, restartIce → negotiationneeded) and a socket that
// delivers signals asynchronously. Glare (both offer at once), rollback and ICE restarts
// always end stable on both sides, with one agreed ICE generation.
import assert from "node:assert/strict";
import { test } from "node:test";

class FakePC extends EventTarget {
  constructor() {
    super();
    this.signalingState = "stable";
    this.connectionState = "new";
    this.iceConnectionState = "new";
    this.localDescription = null;
    this.remoteDescription = null;
    this.generation = 0; // the ICE generation this side offers (restartIce bumps it)
    this.pendingRestart = false;
    this.transceivers = [];
    queueMicrotask(() => this.fire("negotiationneeded"));
  }

  fire(type) { this.dispatchEvent(new Event(type)); }
  getConfiguration() { return {}; }
  setConfiguration() {}
  addTrack() {}
  addTransceiver() {}
  getSenders() { return []; }
  getTransceivers() { return []; }
  close() { this.signalingState = "closed"; }
  async addIceCandidate() {}

  restartIce() {
    this.pendingRestart = true;
    if (this.signalingState === "stable") queueMicrotask(() => this.fire("negotiationneeded"));
  }

  async setLocalDescription(description) {
    await Promise.resolve();
    if (description && description.type === "rollback") {
      if (this.signalingState !== "have-local-offer") throw new Error("InvalidStateError: rollback");
      this.signalingState = "stable";
      this.localDescription = null;
      return;
    }
    if (this.signalingState === "stable") {
      if (this.pendingRestart) this.generation += 1;
      this.pendingRestart = false;
      this.localDescription = { type: "offer", sdp: `gen=${this.generation}`, toJSON() { return { type: this.type, sdp: this.sdp }; } };
      this.signalingState = "have-local-offer";
    } else if (this.signalingState === "have-remote-offer") {
      this.localDescription = { type: "answer", sdp: this.remoteDescription.sdp, toJSON() { return { type: this.type, sdp: this.sdp }; } };
      this.signalingState = "stable";
      this.agreed = this.remoteDescription.sdp;
      this.connectionState = "connected";
      this.iceConnectionState = "connected";
      if (this.pendingRestart) queueMicrotask(() => this.fire("negotiationneeded"));
    } else {
      throw new Error(`InvalidStateError: setLocalDescription in ${this.signalingState}`);
    }
  }

  async setRemoteDescription(description) {
    await Promise.resolve();
    if (description.type === "offer") {
      if (this.signalingState === "have-local-offer") {
        this.signalingState = "stable"; // implicit rollback (the polite side)
        this.localDescription = null;
      } else if (this.signalingState !== "stable") {
        throw new Error(`InvalidStateError: offer in ${this.signalingState}`);
      }
      this.remoteDescription = description;
      this.generation = Math.max(this.generation, Number(description.sdp.split("=")[1]));
      this.signalingState = "have-remote-offer";
    } else {
      if (this.signalingState !== "have-local-offer") throw new Error(`InvalidStateError: answer in ${this.signalingState}`);
      this.remoteDescription = description;
      this.signalingState = "stable";
      this.agreed = description.sdp;
      this.connectionState = "connected";
      this.iceConnectionState = "connected";
      if (this.pendingRestart) queueMicrotask(() => this.fire("negotiationneeded"));
    }
  }
}

globalThis.RTCPeerConnection = FakePC;
globalThis.MediaStream = class {};
const { Mesh } = await import("../../src/videocontact/static/videocontact/js/call.js");

// Two pages; signals between them are delivered after a random delay, in order per sender.
function pair(random, options = {}) {
  const meshes = {};
  const lastDelivery = { a: 0, b: 0 };
  const socketFor = (from) => ({
    send(type, payload) {
      const to = payload.to;
      const frame = { ...payload, from };
      delete frame.to;
      const at = Math.max(lastDelivery[from], Date.now()) + Math.floor(random() * 5);
      lastDelivery[from] = at;
      setTimeout(() => meshes[to].signal(frame), at - Date.now());
      return true;
    },
  });
  meshes.a = new Mesh({ socket: socketFor("a"), selfId: "a", localStream: null, iceServers: [], iceTransportPolicy: "all", ...options });
  meshes.b = new Mesh({ socket: socketFor("b"), selfId: "b", localStream: null, iceServers: [], iceTransportPolicy: "all", ...options });
  return meshes;
}

const settle = (ms = 200) => new Promise((resolve) => setTimeout(resolve, ms));
const pcOf = (mesh, peer) => mesh.peers.get(peer).pc;

function seeded(seed) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

test("two pages that see each other at once end up negotiated (no offer glare left)", async () => {
  const { a, b } = pair(seeded(1));
  a.sync(["a", "b"]);
  b.sync(["a", "b"]);
  await settle(3500); // the polite side waits up to 3 s for the first offer
  assert.equal(pcOf(a, "b").signalingState, "stable");
  assert.equal(pcOf(b, "a").signalingState, "stable");
  assert.equal(pcOf(a, "b").agreed, pcOf(b, "a").agreed);
  a.close();
  b.close();
});

test("the page that joined later offers at once, even when it is the polite one", async () => {
  const { a, b } = pair(seeded(13));
  // Presence lists peers in the order they joined: b was in the call, a (polite: "a" < "b")
  // joins. a must not wait the 3 s a polite side used to wait for b's offer.
  const offers = [];
  const send = a.socket.send;
  a.socket.send = (type, payload) => {
    if (payload.description?.type === "offer") offers.push("a");
    return send(type, payload);
  };
  a.sync(["b", "a"]);
  b.sync(["b", "a"]);
  await settle(300);
  assert.deepEqual(offers, ["a"]);
  assert.equal(pcOf(a, "b").signalingState, "stable");
  assert.equal(pcOf(b, "a").signalingState, "stable");
  assert.equal(pcOf(a, "b").agreed, pcOf(b, "a").agreed);
  a.close();
  b.close();
});

test("the polite side rebuilds a connection that never came up (the other page dropped its end)", async () => {
  // Seen in the browser tests: a page that took an outdated peer list closed its connection to
  // a newcomer right after answering, and never offered again; the newcomer (polite) waited.
  const { a, b } = pair(seeded(14), { connectWatchdogMs: 100 });
  a.sync(["a", "b"]);
  b.sync(["a", "b"]);
  await settle(50);
  assert.equal(pcOf(a, "b").signalingState, "stable");
  b.remove("a"); // b's end is gone; a is not told
  const stale = pcOf(a, "b");
  stale.connectionState = "new"; // negotiated, never connected
  await settle(400); // the polite watchdog: twice the impolite one
  assert.notEqual(pcOf(a, "b"), stale, "a built a fresh connection");
  assert.ok(b.peers.has("a"), "b answered it with a connection of its own");
  assert.equal(pcOf(a, "b").signalingState, "stable");
  assert.equal(pcOf(b, "a").signalingState, "stable");
  assert.equal(pcOf(a, "b").agreed, pcOf(b, "a").agreed);
  a.close();
  b.close();
});

for (const seed of [2, 3, 4, 5, 6, 7, 8, 9]) {
  test(`glare: both restart ICE at the same moment (seed ${seed}); the polite side rolls back`, async () => {
    const { a, b } = pair(seeded(seed));
    a.sync(["a", "b"]);
    b.sync(["a", "b"]);
    await settle(3500);
    const before = pcOf(a, "b").generation;
    // Both sides lose the path and restart together (the worst case for glare).
    a.restart("b", a.peers.get("b"), { force: true });
    b.restart("a", b.peers.get("a"), { force: true });
    await settle(300);
    const pa = pcOf(a, "b");
    const pb = pcOf(b, "a");
    assert.equal(pa.signalingState, "stable");
    assert.equal(pb.signalingState, "stable");
    assert.equal(pa.agreed, pb.agreed, "both sides use the same ICE generation");
    assert.ok(Number(pa.agreed.split("=")[1]) > before, "a new ICE generation was negotiated");
    a.close();
    b.close();
  });
}

test("a restart whose offer was lost (socket down) is rolled back and sent again", async () => {
  const { a, b } = pair(seeded(11));
  a.sync(["a", "b"]);
  b.sync(["a", "b"]);
  await settle(3500);
  const impolite = b; // "b" > "a": b is impolite
  const socket = impolite.socket;
  const send = socket.send;
  socket.send = () => false; // the socket is down: the restart offer goes nowhere
  await impolite.restart("a", impolite.peers.get("a"), { force: true });
  await settle(50);
  assert.equal(pcOf(impolite, "a").signalingState, "have-local-offer");
  socket.send = send; // back: the next restart rolls the lost offer back and offers again
  await impolite.restart("a", impolite.peers.get("a"), { force: true });
  await settle(300);
  assert.equal(pcOf(impolite, "a").signalingState, "stable");
  assert.equal(pcOf(a, "b").signalingState, "stable");
  assert.equal(pcOf(a, "b").agreed, pcOf(impolite, "a").agreed);
  a.close();
  b.close();
});

test("an offer made while the socket was down is sent again when it is back (nudge)", async () => {
  const { a, b } = pair(seeded(12));
  a.sync(["a", "b"]);
  b.sync(["a", "b"]);
  await settle(3500);
  const send = b.socket.send;
  b.socket.send = () => false; // the server is restarting
  await b.restart("a", b.peers.get("a"), { force: true });
  await settle(50);
  assert.equal(pcOf(b, "a").signalingState, "have-local-offer");
  b.socket.send = send;
  b.nudge(); // the socket is back (a resumed welcome)
  await settle(300);
  assert.equal(pcOf(b, "a").signalingState, "stable");
  assert.equal(pcOf(a, "b").agreed, pcOf(b, "a").agreed);
  a.close();
  b.close();
});
