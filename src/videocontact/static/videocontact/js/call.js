// The mesh: one RTCPeerConnection per remote peer, using the perfect negotiation pattern
// (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example). The peer whose id sorts
// lower is polite. Media never passes through our server: it only relays signalling.
// A connection whose path goes down is ICE-restarted (recovery.js decides when).
import { RecoveryPolicy, combinedState } from "./recovery.js";

const POLITE_FIRST_OFFER_DELAY_MS = 3000;
// Chromium sometimes never gathers a candidate after rolling back its own offer; a connection
// that has not connected by then is rebuilt (the impolite side re-offers on a fresh one). The
// polite side does the same after twice as long: the other page may have closed its end (it
// took an outdated peer list) and would never offer again.
const CONNECT_WATCHDOG_MS = 8000;
const POLITE_WATCHDOG_FACTOR = 2;
const MAX_REBUILDS = 3;
const STALL_RESTART_MS = 2500;
const POLITE_STALL_MS = 4500;
const POLITE_RECOVERY_FACTOR = 3;
const KEYFRAME_EVERY_MS = 1000;

export class Mesh extends EventTarget {
  constructor({ socket, selfId, localStream, iceServers, iceTransportPolicy, connectWatchdogMs = CONNECT_WATCHDOG_MS }) {
    super();
    this.connectWatchdogMs = connectWatchdogMs;
    this.socket = socket;
    this.selfId = selfId;
    this.localStream = localStream;
    this.config = { iceServers, iceTransportPolicy };
    this.peers = new Map();
  }

  setIceConfig(iceServers, iceTransportPolicy) {
    this.config = { iceServers, iceTransportPolicy };
    for (const peer of this.peers.values()) {
      try {
        peer.pc.setConfiguration({ ...peer.pc.getConfiguration(), iceServers });
      } catch {
        /* some browsers refuse changes mid-call; the next connection uses the new servers */
      }
    }
  }

  // Bring the set of connections in line with the admitted peers in a presence frame.
  // With keepConnected (just after the server restarted: the other page may not have
  // reconnected yet) a connection that still carries media is kept.
  // The list is in the order the peers joined (self included): of two peers, the later one
  // makes the first offer at once and the earlier one waits for it, so a page that joins a
  // call starts negotiating with its welcome instead of after a presence round trip.
  sync(remotePeerIds, { keepConnected = false } = {}) {
    const wanted = new Set(remotePeerIds.filter((id) => id !== this.selfId));
    const selfAt = remotePeerIds.indexOf(this.selfId);
    for (const [id, peer] of [...this.peers]) {
      if (wanted.has(id)) continue;
      if (keepConnected && this.state(peer) === "connected") continue;
      this.remove(id);
    }
    for (const id of wanted) {
      const offerFirst = selfAt < 0 ? undefined : selfAt > remotePeerIds.indexOf(id);
      if (!this.peers.has(id)) this.add(id, 0, offerFirst);
    }
  }

  add(peerId, rebuilds = 0, offerFirst = undefined) {
    const pc = new RTCPeerConnection(this.config);
    const polite = this.selfId < peerId;
    const peer = {
      pc, polite, offerFirst: offerFirst ?? !polite, makingOffer: false, ignoreOffer: false,
      settingRemoteAnswer: false, negotiated: false, pendingCandidates: [],
      queue: Promise.resolve(), fallbackTimer: 0, rebuilds, watchdog: 0,
      recovery: new RecoveryPolicy(), recoveryTimer: 0,
    };
    const watchdogMs = this.connectWatchdogMs * (polite ? POLITE_WATCHDOG_FACTOR : 1);
    peer.watchdog = setTimeout(() => this.checkConnected(peerId, peer), watchdogMs);
    this.peers.set(peerId, peer);
    if (this.localStream) {
      for (const track of this.localStream.getTracks()) pc.addTrack(track, this.localStream);
    } else {
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    pc.addEventListener("negotiationneeded", () => this.negotiationNeeded(peerId, peer));
    pc.addEventListener("icecandidate", ({ candidate }) => {
      this.socket.send("signal", { to: peerId, candidate: candidate ? candidate.toJSON() : null });
    });
    pc.addEventListener("track", ({ track, streams }) => {
      const stream = streams[0] || new MediaStream([track]);
      this.emit("remote-stream", { peerId, stream });
    });
    pc.addEventListener("iceconnectionstatechange", () => this.stateChanged(peerId, peer));
    pc.addEventListener("connectionstatechange", () => {
      this.emit("peer-state", { peerId, state: pc.connectionState });
      this.stateChanged(peerId, peer);
    });
    this.emit("peer-added", { peerId });
  }

  // Both sides see each other at about the same moment. One side offers first (the later
  // joiner; without an order, the impolite side); the other waits briefly for that offer (its
  // answer then carries its own tracks), which avoids offer glare on every join. Later
  // renegotiations go straight through perfect negotiation (politeness settles collisions).
  negotiationNeeded(peerId, peer) {
    if (!peer.offerFirst && !peer.negotiated) {
      clearTimeout(peer.fallbackTimer);
      peer.fallbackTimer = setTimeout(() => {
        if (!peer.negotiated && this.peers.get(peerId) === peer) this.offer(peerId, peer);
      }, POLITE_FIRST_OFFER_DELAY_MS);
      return;
    }
    this.offer(peerId, peer);
  }

  checkConnected(peerId, peer) {
    if (this.peers.get(peerId) !== peer || peer.pc.connectionState === "connected") return;
    if (peer.rebuilds >= MAX_REBUILDS) return;
    this.rebuild(peerId, peer, true); // the fresh connection offers at once
  }

  rebuild(peerId, peer, offerFirst = undefined) {
    this.remove(peerId);
    this.add(peerId, peer.rebuilds + 1, offerFirst);
    this.emit("peer-rebuilt", { peerId });
    return this.peers.get(peerId);
  }

  async offer(peerId, peer) {
    try {
      peer.makingOffer = true;
      await peer.pc.setLocalDescription();
      this.socket.send("signal", { to: peerId, description: peer.pc.localDescription.toJSON() });
    } catch (error) {
      console.warn("offer failed", peerId, error);
    } finally {
      peer.makingOffer = false;
    }
  }

  state(peer) {
    return combinedState(peer.pc.connectionState, peer.pc.iceConnectionState);
  }

  stateChanged(peerId, peer) {
    if (this.peers.get(peerId) !== peer) return;
    const wasRecovering = peer.recovery.recovering;
    this.schedule(peerId, peer, peer.recovery.update(this.state(peer), Date.now()));
    if (wasRecovering && !peer.recovery.recovering) this.emit("recovered", { peerId });
  }

  // Both sides see the path go down together. The impolite side drives the restarts; the polite
  // side waits three times as long, so two restarts do not keep replacing each other's ICE
  // generation before its checks can succeed (it still restarts if the other side cannot).
  schedule(peerId, peer, wait) {
    clearTimeout(peer.recoveryTimer);
    if (wait === null) return;
    if (peer.polite) wait *= POLITE_RECOVERY_FACTOR;
    peer.recoveryTimer = setTimeout(() => this.restart(peerId, peer), wait);
  }

  // The path may have changed (the socket is back, the network changed): restart every
  // connection that is not up now, instead of waiting for the browser to notice.
  nudge() {
    for (const [peerId, peer] of this.peers) {
      // An offer made while the socket was down never arrived; without it this side would stay
      // in have-local-offer (and, impolite, ignore the other side's offers) for good.
      const { pc } = peer;
      if (pc.signalingState === "have-local-offer" && !peer.makingOffer && pc.localDescription) {
        this.socket.send("signal", { to: peerId, description: pc.localDescription.toJSON() });
      }
      this.schedule(peerId, peer, peer.recovery.nudge(this.state(peer), Date.now()));
    }
  }

  // The remote picture stopped while the browser still says "connected": a path that died
  // without ICE noticing yet (Chromium takes 5-7 s to give up on a pair). Restart now, and again
  // every STALL_RESTART_MS while it lasts; a working old path stays in use until a new one is up.
  // Measured on a path change (docs/performance.md): restarts every 1.2 s kept replacing a
  // generation that was about to be selected (media back after 5-6.4 s); every 2.5 s, 4.2-4.7 s;
  // no stall restarts at all, 9-11.5 s (Chromium kept the dead pair until ICE disconnected).
  // Both sides see the stall at about the same moment; the impolite side restarts (no offer
  // glare), the polite side only if the picture stays away longer (a one-way failure).
  stalled(peerId, stillMs) {
    const peer = this.peers.get(peerId);
    if (!peer || !peer.negotiated) return;
    if (peer.polite && stillMs < POLITE_STALL_MS) return;
    const now = Date.now();
    const every = STALL_RESTART_MS * (peer.polite ? POLITE_RECOVERY_FACTOR : 1);
    if (now - (peer.stallRestartAt || 0) < every) return;
    peer.stallRestartAt = now;
    this.restart(peerId, peer, { force: true });
  }

  // The picture from a peer stands still although its packets arrive: the decoder waits for a
  // key frame. After a path change Chromium asks for one only every 3 s (measured: media back
  // 2.5-3.7 s after the new path carried packets); ask the sender directly instead.
  keyFrameNeeded(peerId) {
    const peer = this.peers.get(peerId);
    if (!peer || !peer.negotiated) return;
    const now = Date.now();
    if (now - (peer.keyFrameAskedAt || 0) < KEYFRAME_EVERY_MS) return;
    peer.keyFrameAskedAt = now;
    this.socket.send("signal", { to: peerId, keyframe: true });
    this.emit("keyframe-requested", { peerId });
  }

  // No browser API asks an encoder for a key frame; pausing and resuming the encoding makes one.
  // Video that is off on purpose (sound only on a weak network) stays off.
  async sendKeyFrame(peer) {
    const now = Date.now();
    if (now - (peer.keyFrameSentAt || 0) < KEYFRAME_EVERY_MS / 2) return;
    peer.keyFrameSentAt = now;
    const sender = peer.pc.getSenders().find((s) => s.track && s.track.kind === "video");
    if (!sender || !sender.getParameters().encodings?.every((e) => e.active !== false)) return;
    try {
      for (const active of [false, true]) {
        const params = sender.getParameters();
        params.encodings = params.encodings.map((e) => ({ ...e, active }));
        await sender.setParameters(params);
      }
    } catch (error) {
      console.warn("key frame failed", error);
    }
  }

  async restart(peerId, peer, { force = false } = {}) {
    if (this.peers.get(peerId) !== peer) return;
    if (!force && this.state(peer) === "connected") return;
    peer.recovery.restarted(Date.now());
    this.emit("ice-restart", { peerId, attempt: peer.recovery.attempts });
    const { pc } = peer;
    try {
      // An offer of ours that was lost (the socket was down) would block the restart forever.
      if (pc.signalingState === "have-local-offer" && !peer.makingOffer) {
        await pc.setLocalDescription({ type: "rollback" });
      }
      pc.restartIce(); // negotiationneeded: perfect negotiation sends the offer
    } catch (error) {
      console.warn("ice restart failed", peerId, error);
    }
    this.stateChanged(peerId, peer); // schedules the next attempt while still down
  }

  // Signals of one peer are handled strictly in order.
  signal(frame) {
    if (!this.peers.has(frame.from)) this.add(frame.from);
    const peer = this.peers.get(frame.from);
    peer.queue = peer.queue.then(() => this.handleSignal(frame.from, peer, frame));
    return peer.queue;
  }

  async handleSignal(from, peer, { description, candidate, keyframe }) {
    const { pc } = peer;
    try {
      if (keyframe) {
        await this.sendKeyFrame(peer);
      } else if (description) {
        await this.handleDescription(from, peer, description);
      } else if (candidate !== undefined) {
        if (!pc.remoteDescription) {
          if (!peer.ignoreOffer) peer.pendingCandidates.push(candidate);
          return;
        }
        await this.addCandidate(peer, candidate);
      }
    } catch (error) {
      console.warn("signal handling failed", from, error);
    }
  }

  async handleDescription(from, peer, description) {
    const { pc } = peer;
    const readyForOffer =
      !peer.makingOffer && (pc.signalingState === "stable" || peer.settingRemoteAnswer);
    const collision = description.type === "offer" && !readyForOffer;
    peer.ignoreOffer = !peer.polite && collision;
    if (peer.ignoreOffer) return;
    peer.settingRemoteAnswer = description.type === "answer";
    try {
      await pc.setRemoteDescription(description);
    } catch (error) {
      // An offer from a rebuilt remote connection (new DTLS identity) cannot be applied to
      // the old one: start afresh and apply it there, once.
      if (description.type !== "offer" || peer.rebuilds >= MAX_REBUILDS) throw error;
      const fresh = this.rebuild(from, peer);
      return this.handleDescription(from, fresh, description);
    }
    peer.settingRemoteAnswer = false;
    peer.negotiated = true;
    clearTimeout(peer.fallbackTimer);
    const pending = peer.pendingCandidates.splice(0);
    for (const candidate of pending) await this.addCandidate(peer, candidate);
    if (description.type === "offer") {
      await pc.setLocalDescription();
      this.socket.send("signal", { to: from, description: pc.localDescription.toJSON() });
    }
  }

  async addCandidate(peer, candidate) {
    try {
      await peer.pc.addIceCandidate(candidate || undefined);
    } catch (error) {
      if (!peer.ignoreOffer) throw error;
    }
  }

  // Swap the outgoing video track on every connection (camera switch) without renegotiation.
  async replaceVideoTrack(track) {
    for (const { pc } of this.peers.values()) {
      const sender = pc.getSenders().find((s) => s.track && s.track.kind === "video");
      if (sender) await sender.replaceTrack(track);
    }
  }

  remove(peerId) {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    clearTimeout(peer.fallbackTimer);
    clearTimeout(peer.watchdog);
    clearTimeout(peer.recoveryTimer);
    peer.pc.close();
    this.peers.delete(peerId);
    this.emit("peer-removed", { peerId });
  }

  close() {
    for (const id of [...this.peers.keys()]) this.remove(id);
  }

  connections() {
    return new Map([...this.peers].map(([id, peer]) => [id, peer.pc]));
  }

  on(type, handler) {
    this.addEventListener(type, (event) => handler(/** @type {CustomEvent} */ (event).detail));
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
