// A frozen picture: the inbound video of a peer whose camera is on stops decoding frames.
// The person is told what is happening (the connection is being restored) instead of looking at
// a still image under "You are in the call". `DecodeWatch` is the pure rule (node --test);
// `mountFrameWatch` reads the connections' stats 4 times a second and acts on it (a path change
// is noticed within ~0.8 s; docs/performance.md, "Path change").

export const FROZEN_AFTER_MS = 2000;
export const STALLED_AFTER_MS = 600; // no new frame for this long: restart ICE (call.js, stalled)
// Packets arrive, yet no frame was decoded for this long: the decoder waits for a key frame (after
// a path change Chromium asks for one only every 3 s). Not sooner: on a weak link a late frame is
// normal, and a key frame costs the most bytes.
export const KEYFRAME_AFTER_MS = 1000;
export const WATCH_EVERY_MS = 250;
// "The connection is back" stays this long: the connection's own events that follow (ICE
// connected, recovered, a last restart) would otherwise replace it at once.
export const RESTORED_SHOWN_MS = 5000;

/** Frames decoded per peer, and since when that count has not changed. No DOM, no timers. */
export class DecodeWatch {
  constructor() {
    /** @type {Map<string, {frames: number, packets: number, changedAt: number}>} */
    this.seen = new Map();
  }

  /**
   * One reading of a peer's decoded video frames.
   * @param {string} peerId
   * @param {number} frames framesDecoded of its inbound video, summed
   * @param {number} now ms
   * @param {boolean} expectVideo false while the peer has its camera off
   * @param {number} [packets] packetsReceived of its inbound video, summed
   * @returns {{still: number, stalled: boolean, frozen: boolean | undefined, keyFrame: boolean}}
   *   `still`: ms without a new frame (0 while none is expected); `frozen` is undefined for a
   *   first reading; `keyFrame`: packets arrive but nothing decodes (ask the sender for one)
   */
  observe(peerId, frames, now, expectVideo, packets = 0) {
    const seen = this.seen.get(peerId);
    if (!seen || frames !== seen.frames) {
      this.seen.set(peerId, { frames, packets, changedAt: now });
      return { still: 0, stalled: false, frozen: seen ? false : undefined, keyFrame: false };
    }
    const still = expectVideo && seen.frames > 0 ? now - seen.changedAt : 0;
    const keyFrame = still > KEYFRAME_AFTER_MS && packets > seen.packets;
    seen.packets = packets;
    return { still, stalled: still > STALLED_AFTER_MS, frozen: still > FROZEN_AFTER_MS, keyFrame };
  }

  /**
   * Forget the peers that are gone.
   * @param {(peerId: string) => boolean} present
   * @returns {string[]} the peers forgotten
   */
  prune(present) {
    const gone = [...this.seen.keys()].filter((peerId) => !present(peerId));
    for (const peerId of gone) this.seen.delete(peerId);
    return gone;
  }
}

/**
 * Watch the call's inbound video; mark frozen tiles and tell the person.
 * @param {{mesh: () => any, peers: () => Map<string, any>, inCall: () => boolean,
 *          markTile: (peerId: string, frozen: boolean) => void, status: (text: string) => void,
 *          strings: Record<string, string>}} options
 */
export function mountFrameWatch({ mesh, peers, inCall, markTile, status, strings: S }) {
  const watch = new DecodeWatch();
  const frozenPeers = new Set();
  let restoredAt = 0;

  function setFrozen(peerId, frozen) {
    if (frozen === frozenPeers.has(peerId)) return;
    if (frozen) frozenPeers.add(peerId);
    else frozenPeers.delete(peerId);
    markTile(peerId, frozen);
    if (frozenPeers.size) status(S.frozen);
    else if (inCall()) {
      restoredAt = Date.now();
      status(S.connectionRestored);
    }
  }

  async function watchFrames() {
    const current = mesh();
    if (!current) return;
    const now = Date.now();
    for (const [peerId, pc] of current.connections()) {
      let frames = 0;
      let packets = 0;
      try {
        const stats = await pc.getStats();
        stats.forEach((r) => {
          if (r.type !== "inbound-rtp" || r.kind !== "video") return;
          frames += r.framesDecoded || 0;
          packets += r.packetsReceived || 0;
        });
      } catch {
        continue;
      }
      const info = peers().get(peerId);
      const expectVideo = !info || info.video !== false;
      const { still, stalled, frozen, keyFrame } = watch.observe(peerId, frames, now, expectVideo, packets);
      if (keyFrame) mesh()?.keyFrameNeeded(peerId);
      if (stalled) mesh()?.stalled(peerId, still); // the call as it is now (null once it closed)
      if (frozen !== undefined) setFrozen(peerId, frozen);
    }
    const live = mesh();
    for (const peerId of watch.prune((id) => live.peers.has(id))) setFrozen(peerId, false);
  }

  setInterval(() => { watchFrames().catch(() => {}); }, WATCH_EVERY_MS);

  return {
    /** Peers whose picture is frozen now. */
    frozen: () => [...frozenPeers],
    /** Whether any picture is frozen now. */
    any: () => frozenPeers.size > 0,
    /** Whether "the connection is back" was shown a moment ago (RESTORED_SHOWN_MS). */
    restoredRecently: () => Date.now() - restoredAt < RESTORED_SHOWN_MS,
  };
}
