// The mesh: one RTCPeerConnection per remote peer, using the perfect negotiation pattern
// (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example). The peer whose id sorts
// lower is polite. Media never passes through our server: it only relays signalling.

export class Mesh extends EventTarget {
  constructor({ socket, selfId, localStream, iceServers, iceTransportPolicy }) {
    super();
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
  sync(remotePeerIds) {
    const wanted = new Set(remotePeerIds.filter((id) => id !== this.selfId));
    for (const id of [...this.peers.keys()]) {
      if (!wanted.has(id)) this.remove(id);
    }
    for (const id of wanted) {
      if (!this.peers.has(id)) this.add(id);
    }
  }

  add(peerId) {
    const pc = new RTCPeerConnection(this.config);
    const peer = { pc, polite: this.selfId < peerId, makingOffer: false, ignoreOffer: false,
                   restarts: 0 };
    this.peers.set(peerId, peer);
    if (this.localStream) {
      for (const track of this.localStream.getTracks()) pc.addTrack(track, this.localStream);
    } else {
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    pc.addEventListener("negotiationneeded", () => this.offer(peerId, peer));
    pc.addEventListener("icecandidate", ({ candidate }) => {
      this.socket.send("signal", { to: peerId, candidate: candidate ? candidate.toJSON() : null });
    });
    pc.addEventListener("track", ({ track, streams }) => {
      const stream = streams[0] || new MediaStream([track]);
      this.emit("remote-stream", { peerId, stream });
    });
    pc.addEventListener("iceconnectionstatechange", () => this.iceStateChanged(peerId, peer));
    pc.addEventListener("connectionstatechange", () =>
      this.emit("peer-state", { peerId, state: pc.connectionState }));
    this.emit("peer-added", { peerId });
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

  iceStateChanged(peerId, peer) {
    const state = peer.pc.iceConnectionState;
    if (state === "failed") {
      peer.restarts += 1;
      peer.pc.restartIce();
      this.emit("ice-restart", { peerId, attempt: peer.restarts });
    } else if (state === "connected" || state === "completed") {
      peer.restarts = 0;
    }
  }

  async signal({ from, description, candidate }) {
    const peer = this.peers.get(from);
    if (!peer) return;
    const { pc } = peer;
    try {
      if (description) {
        const collision =
          description.type === "offer" && (peer.makingOffer || pc.signalingState !== "stable");
        peer.ignoreOffer = !peer.polite && collision;
        if (peer.ignoreOffer) return;
        await pc.setRemoteDescription(description);
        if (description.type === "offer") {
          await pc.setLocalDescription();
          this.socket.send("signal", { to: from, description: pc.localDescription.toJSON() });
        }
      } else if (candidate !== undefined) {
        try {
          await pc.addIceCandidate(candidate || undefined);
        } catch (error) {
          if (!peer.ignoreOffer) throw error;
        }
      }
    } catch (error) {
      console.warn("signal handling failed", from, error);
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
    this.addEventListener(type, (event) => handler(event.detail));
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
