// Insights on the call page: a compact WebRTC statistics summary every 10 s over the room
// socket (docs/protocol.md, frame `stats`), and the form after the call (rating for residents
// and guests, the technology question for staff). The form is plain HTML rendered by the
// server, so it still works when the socket is gone.

const INTERVAL_MS = 10000;

const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

// One RTCPeerConnection's getStats() report → its figures over the interval since `before`.
export function summariseStats(report, before, now) {
  const byId = new Map();
  report.forEach((entry) => byId.set(entry.id, entry));
  const out = { rtt: null, jitter: null, lost: 0, received: 0, bytes: 0, fps: null, width: 0, height: 0, relay: false };
  report.forEach((s) => {
    if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") {
      if (typeof s.currentRoundTripTime === "number") out.rtt = s.currentRoundTripTime * 1000;
      const local = byId.get(s.localCandidateId);
      const remote = byId.get(s.remoteCandidateId);
      out.relay = Boolean((local && local.candidateType === "relay") || (remote && remote.candidateType === "relay"));
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
  const last = before || { lost: 0, received: 0, bytes: 0, at: now - INTERVAL_MS };
  const lost = Math.max(0, out.lost - last.lost);
  const received = Math.max(0, out.received - last.received);
  out.lossPct = lost + received > 0 ? (100 * lost) / (lost + received) : null;
  out.kbps = Math.max(0, ((out.bytes - last.bytes) * 8) / Math.max(1, now - last.at));
  return out;
}

// The `stats` frame (docs/protocol.md) from every peer's figures: the worst round-trip time,
// jitter and loss, the summed bitrate, the lowest frame rate, the largest picture. Values are
// rounded and kept inside the ranges the server accepts; unknown ones are left out.
export function statsFrame(parts, { iceRestarts = 0, reconnects = 0 } = {}) {
  const worst = (key) => parts.reduce((max, p) => (p[key] == null ? max : Math.max(max ?? 0, p[key])), null);
  const fps = parts.reduce((min, p) => (p.fps == null ? min : Math.min(min ?? 240, p.fps)), null);
  const frame = {
    rttMs: worst("rtt"), jitterMs: worst("jitter"), lossPct: worst("lossPct"),
    bitrateKbps: parts.reduce((sum, p) => sum + (p.kbps || 0), 0), fps,
    width: Math.max(0, ...parts.map((p) => p.width || 0)), height: Math.max(0, ...parts.map((p) => p.height || 0)),
    relay: parts.some((p) => p.relay),
  };
  const limits = { rttMs: 60000, jitterMs: 60000, lossPct: 100, bitrateKbps: 100000, fps: 240 };
  const payload = {};
  for (const [key, high] of Object.entries(limits)) {
    const value = frame[key];
    if (typeof value === "number" && Number.isFinite(value)) payload[key] = round(clamp(value, 0, high));
  }
  payload.width = clamp(Math.round(frame.width), 0, 8192);
  payload.height = clamp(Math.round(frame.height), 0, 8192);
  payload.relay = frame.relay;
  payload.iceRestarts = clamp(iceRestarts, 0, 1000);
  payload.reconnects = clamp(reconnects, 0, 1000);
  return payload;
}

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
    const now = performance.now();
    const out = summariseStats(await pc.getStats(), previous.get(pc), now);
    previous.set(pc, { lost: out.lost, received: out.received, bytes: out.bytes, at: now });
    return out;
  }

  async function report() {
    if (!inCall) return;
    const pcs = [...connections().values()].filter((pc) => pc.connectionState !== "closed");
    pcs.forEach(watch);
    if (!pcs.length) return;
    const parts = (await Promise.all(pcs.map((pc) => summarise(pc).catch(() => null)))).filter(Boolean);
    if (!parts.length) return;
    const payload = statsFrame(parts, { iceRestarts, reconnects });
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
