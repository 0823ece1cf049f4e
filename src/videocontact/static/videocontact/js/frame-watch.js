// A frozen picture: the inbound video of a peer whose camera is on stops decoding frames.
// The person is told what is happening (the connection is being restored) instead of looking at
// a still image under "You are in the call". `DecodeWatch` is the pure rule (node --test);
// `mountFrameWatch` reads the connections' stats twice a second and acts on it.

export const FROZEN_AFTER_MS = 2000;
export const STALLED_AFTER_MS = 1000; // no new frame for this long: restart ICE (call.js, stalled)
export const WATCH_EVERY_MS = 500;

/** Frames decoded per peer, and since when that count has not changed. No DOM, no timers. */
export class DecodeWatch {
  constructor() {
    /** @type {Map<string, {frames: number, changedAt: number}>} */
    this.seen = new Map();
  }

  /**
   * One reading of a peer's decoded video frames.
   * @param {string} peerId
   * @param {number} frames framesDecoded of its inbound video, summed
   * @param {number} now ms
   * @param {boolean} expectVideo false while the peer has its camera off
   * @returns {{still: number, stalled: boolean, frozen: boolean | undefined}} `still`: ms without
   *   a new frame (0 while none is expected); `frozen` is undefined for a first reading
   */
  observe(peerId, frames, now, expectVideo) {
    const seen = this.seen.get(peerId);
    if (!seen || frames !== seen.frames) {
      this.seen.set(peerId, { frames, changedAt: now });
      return { still: 0, stalled: false, frozen: seen ? false : undefined };
    }
    const still = expectVideo && seen.frames > 0 ? now - seen.changedAt : 0;
    return { still, stalled: still > STALLED_AFTER_MS, frozen: still > FROZEN_AFTER_MS };
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

  function setFrozen(peerId, frozen) {
    if (frozen === frozenPeers.has(peerId)) return;
    if (frozen) frozenPeers.add(peerId);
    else frozenPeers.delete(peerId);
    markTile(peerId, frozen);
    if (frozenPeers.size) status(S.frozen);
    else if (inCall()) status(S.connectionRestored);
  }

  async function watchFrames() {
    const current = mesh();
    if (!current) return;
    const now = Date.now();
    for (const [peerId, pc] of current.connections()) {
      let frames = 0;
      try {
        const stats = await pc.getStats();
        stats.forEach((r) => {
          if (r.type === "inbound-rtp" && r.kind === "video") frames += r.framesDecoded || 0;
        });
      } catch {
        continue;
      }
      const info = peers().get(peerId);
      const { still, stalled, frozen } = watch.observe(peerId, frames, now, !info || info.video !== false);
      if (stalled) mesh().stalled(peerId, still); // the call as it is now (null once it closed)
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
  };
}
