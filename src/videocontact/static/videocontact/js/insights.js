// Insights on the call page: a compact WebRTC statistics summary every 10 s over the room
// socket (docs/protocol.md, frame `stats`), and the form after the call (rating for residents
// and guests, the technology question for staff). The form is plain HTML rendered by the
// server, so it still works when the socket is gone.

const INTERVAL_MS = 10000;

const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

export function mountInsights({ socket, connections }) {
  let inCall = false;
  let reconnects = 0;
  let iceRestarts = 0;
  const watched = new WeakSet();
  const previous = new Map(); // RTCPeerConnection → last counters (for per-interval deltas)

  socket.on("welcome", (frame) => { if (frame.state === "admitted") inCall = true; });
  socket.on("admitted", () => { inCall = true; });
  socket.on("reconnecting", () => { reconnects += 1; });

  function watch(pc) {
    if (watched.has(pc)) return;
    watched.add(pc);
    pc.addEventListener("iceconnectionstatechange", () => {
      if (pc.iceConnectionState === "failed") iceRestarts += 1; // call.js restarts ICE then
    });
  }

  async function summarise(pc) {
    const report = await pc.getStats();
    const byId = new Map();
    report.forEach((entry) => byId.set(entry.id, entry));
    const out = { rtt: null, jitter: null, lost: 0, received: 0, bytes: 0, fps: null, width: 0, height: 0, relay: false };
    report.forEach((s) => {
      if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") {
        if (typeof s.currentRoundTripTime === "number") out.rtt = s.currentRoundTripTime * 1000;
        const local = byId.get(s.localCandidateId);
        const remote = byId.get(s.remoteCandidateId);
        out.relay = (local && local.candidateType === "relay") || (remote && remote.candidateType === "relay") || false;
      } else if (s.type === "inbound-rtp") {
        if (typeof s.jitter === "number") out.jitter = Math.max(out.jitter ?? 0, s.jitter * 1000);
        out.lost += s.packetsLost || 0;
        out.received += s.packetsReceived || 0;
        out.bytes += s.bytesReceived || 0;
        if (s.kind === "video") {
          if (typeof s.framesPerSecond === "number") out.fps = s.framesPerSecond;
          out.width = Math.max(out.width, s.frameWidth || 0);
          out.height = Math.max(out.height, s.frameHeight || 0);
        }
      }
    });
    const before = previous.get(pc) || { lost: 0, received: 0, bytes: 0, at: performance.now() - INTERVAL_MS };
    const now = performance.now();
    previous.set(pc, { lost: out.lost, received: out.received, bytes: out.bytes, at: now });
    const lost = Math.max(0, out.lost - before.lost);
    const received = Math.max(0, out.received - before.received);
    out.lossPct = lost + received > 0 ? (100 * lost) / (lost + received) : null;
    out.kbps = Math.max(0, ((out.bytes - before.bytes) * 8) / Math.max(1, now - before.at));
    return out;
  }

  async function report() {
    if (!inCall) return;
    const pcs = [...connections().values()].filter((pc) => pc.connectionState !== "closed");
    pcs.forEach(watch);
    if (!pcs.length) return;
    const parts = (await Promise.all(pcs.map((pc) => summarise(pc).catch(() => null)))).filter(Boolean);
    if (!parts.length) return;
    const worst = (key) => parts.reduce((max, p) => (p[key] == null ? max : Math.max(max ?? 0, p[key])), null);
    const fps = parts.reduce((min, p) => (p.fps == null ? min : Math.min(min ?? 240, p.fps)), null);
    const frame = {
      rttMs: worst("rtt"), jitterMs: worst("jitter"), lossPct: worst("lossPct"),
      bitrateKbps: parts.reduce((sum, p) => sum + p.kbps, 0),
      fps, width: Math.max(...parts.map((p) => p.width)), height: Math.max(...parts.map((p) => p.height)),
      relay: parts.some((p) => p.relay), iceRestarts: Math.min(iceRestarts, 1000), reconnects: Math.min(reconnects, 1000),
    };
    const payload = {};
    for (const [key, value] of Object.entries(frame)) {
      if (value === null || value === undefined || Number.isNaN(value)) continue;
      payload[key] = typeof value === "number" && !["width", "height", "iceRestarts", "reconnects"].includes(key)
        ? round(clamp(value, 0, key === "lossPct" ? 100 : 60000)) : value;
    }
    if (payload.width !== undefined) payload.width = clamp(Math.round(payload.width), 0, 8192);
    if (payload.height !== undefined) payload.height = clamp(Math.round(payload.height), 0, 8192);
    if (payload.fps !== undefined) payload.fps = clamp(payload.fps, 0, 240);
    socket.send("stats", payload);
  }

  const timer = setInterval(() => { report().catch(() => {}); }, INTERVAL_MS);

  function showAfterCall() {
    clearInterval(timer);
    const section = document.getElementById("vc-after-call");
    if (!section || !inCall || !section.hidden) return;
    section.hidden = false;
    const title = document.getElementById("vc-after-call-title");
    title.tabIndex = -1;
    title.focus();
  }

  socket.on("ended", (frame) => { if (frame.reason !== "removed") showAfterCall(); });
  // 1000: this browser left; 4410: the visit ended. Not after being replaced by another tab
  // (4409) or refused (4401, 4403, 4429).
  socket.on("final-close", ({ code }) => { if (code === 1000 || code === 4410) showAfterCall(); });
  return { report, showAfterCall };
}
