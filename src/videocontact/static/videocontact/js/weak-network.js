// The call page on a weak network (mounted by call-page.js; the decisions are in adapt.js).
// Once a second every connected peer connection's getStats() feeds its ladder; a new rung is
// applied to the outgoing video with RTCRtpSender.setParameters (maxBitrate,
// scaleResolutionDownBy, maxFramerate), so the picture gets smaller instead of freezing. When
// every connection is weak at the lowest rung, the person is offered "sound only"; chosen, the
// video encodings are switched off and the staff of the call get a `network` frame
// (docs/protocol.md). With sound only, clean audio for a while lets the page try video again at
// the lowest rung; if that holds, video is back (and the staff are told), else sound only again
// and the next try waits twice as long. Staff pages show a note on the tile of such a person.
import { AudioOnlyAdvisor, FLOOR, LOSS_GOOD, Ladder, RTT_BAD, SAMPLE_MS, encodingFor, readSample } from "./adapt.js";

const PROBE_SAMPLES = 12; // a try of video that has not climbed a rung by then failed
const SWITCH_OFF_DELAY_MS = 800; // let the presence update (video: false) arrive first

export function mountWeakNetwork({ socket, connections, strings: S, status, onModeChange }) {
  const entries = new WeakMap(); // RTCPeerConnection → {ladder, before, applied}
  const advisor = new AudioOnlyAdvisor();
  const notes = new Map(); // staff: peerId → mode of that person
  const log = []; // for tests and support (window.vcDebug.weak)
  let probeSamples = 0;
  let peerKey = "";
  let running = false;
  const ui = buildUi(S);

  const record = (event, detail = {}) => {
    log.push({ t: Date.now(), event, ...detail });
    if (log.length > 100) log.shift();
  };

  function videoSender(pc) {
    return pc.getSenders().find((s) => s.track && s.track.kind === "video") || null;
  }

  async function apply(pc, entry, rung, active) {
    const sender = videoSender(pc);
    if (!sender) return;
    const params = sender.getParameters();
    if (!params.encodings || !params.encodings.length) return; // not negotiated yet
    params.encodings = params.encodings.map((e) => encodingFor(rung, e, active));
    try {
      await sender.setParameters(params);
      entry.applied = { rung, active };
    } catch (error) {
      console.warn("video parameters not applied", error);
    }
  }

  function entryFor(pc) {
    let entry = entries.get(pc);
    if (!entry) {
      entry = { ladder: new Ladder(advisor.mode === "video" ? 0 : FLOOR), before: null, applied: null };
      entries.set(pc, entry);
    }
    return entry;
  }

  const sendingVideo = () => advisor.mode === "video" || advisor.probing;

  async function tick() {
    const now = Date.now();
    const pcs = [...connections().entries()].filter(([, pc]) => pc.connectionState === "connected");
    announceToNewPeers(pcs.map(([id]) => id));
    if (!pcs.length) return;
    let allWeak = true;
    let healthy = true;
    let climbed = false;
    for (const [peerId, pc] of pcs) {
      const entry = entryFor(pc);
      let sample;
      try {
        sample = readSample(await pc.getStats(), entry.before);
      } catch {
        continue;
      }
      entry.before = sample.counters;
      entry.last = { ...sample, counters: undefined };
      if (!sendingVideo()) {
        const clean = (sample.audioLoss === null || sample.audioLoss < LOSS_GOOD)
          && (sample.rtt === null || sample.rtt < RTT_BAD);
        if (!clean) healthy = false;
        allWeak = false;
        if (!entry.applied || entry.applied.active) await apply(pc, entry, FLOOR, false);
        continue;
      }
      const rung = entry.ladder.update(sample);
      if (!entry.ladder.weak) allWeak = false;
      if (rung < FLOOR) climbed = true;
      if (!entry.applied || entry.applied.rung !== rung || !entry.applied.active) {
        record("rung", { peerId, rung, estimate: sample.estimate, loss: sample.loss });
        await apply(pc, entry, rung, true);
      }
    }
    if (advisor.mode === "video") {
      const offer = advisor.watch(allWeak, now);
      if (offer && ui.offer.hidden) record("offered");
      ui.offer.hidden = !offer;
    } else if (advisor.probing) {
      probeSamples += 1;
      if (climbed) finishProbe(true, now);
      else if (allWeak || probeSamples >= PROBE_SAMPLES) finishProbe(false, now);
    } else if (advisor.probeDue(healthy, now)) {
      probeSamples = 0;
      record("probe");
      for (const [, pc] of pcs) entryFor(pc).ladder = new Ladder(FLOOR);
    }
  }

  function finishProbe(recovered, now) {
    const mode = advisor.probeResult(recovered, now);
    record(recovered ? "recovered" : "probe-failed");
    if (mode === "video") toVideo(S.weakRecovered);
  }

  function chooseAudioOnly() {
    advisor.choose(Date.now());
    record("audio-only");
    ui.offer.hidden = true;
    ui.bar.hidden = false;
    status(S.weakAudioOnlyOn);
    announce();
    onModeChange(); // presence: video false, so the others do not take the stop for a freeze
    setTimeout(() => {
      for (const pc of connections().values()) {
        const entry = entryFor(pc);
        if (!sendingVideo()) apply(pc, entry, FLOOR, false);
      }
    }, SWITCH_OFF_DELAY_MS);
  }

  function toVideo(message) {
    ui.bar.hidden = true;
    status(message);
    for (const pc of connections().values()) {
      const entry = entryFor(pc);
      apply(pc, entry, entry.ladder.rung, true);
    }
    announce();
    onModeChange();
  }

  ui.choose.addEventListener("click", chooseAudioOnly);
  ui.keep.addEventListener("click", () => {
    advisor.decline(Date.now());
    record("declined");
    ui.offer.hidden = true;
  });
  ui.back.addEventListener("click", () => {
    advisor.probing = false;
    advisor.probeResult(true, Date.now());
    record("video-chosen");
    for (const pc of connections().values()) entryFor(pc).ladder = new Ladder(FLOOR);
    toVideo(S.admitted);
  });

  // The staff learn the mode; a peer that joins later (or a staff page that reloads) too.
  function announce() {
    socket.send("network", { mode: advisor.mode });
  }

  function announceToNewPeers(ids) {
    const key = [...ids].sort().join(",");
    if (key === peerKey) return;
    const added = ids.some((id) => !peerKey.split(",").includes(id));
    peerKey = key;
    if (added && advisor.mode !== "video") announce();
  }
  socket.on("welcome", () => {
    peerKey = "";
  });

  // Staff: a note on the tile of a person who sends sound only.
  function showNote(peerId) {
    const tile = /** @type {HTMLElement | null} */ (
      document.querySelector(`.tile--remote[data-peer-id="${CSS.escape(peerId)}"]`)
    );
    if (!tile) return;
    let note = tile.querySelector(".tile__note");
    const audioOnly = notes.get(peerId) === "audio-only";
    if (!audioOnly) {
      if (note) note.remove();
      delete tile.dataset.audioOnly;
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "tile__note";
      note.setAttribute("role", "status");
      tile.append(note);
    }
    tile.dataset.audioOnly = "true";
    note.textContent = S.weakPeerAudioOnly;
  }
  socket.on("network", (frame) => {
    notes.set(frame.from, frame.mode);
    record("peer-mode", { peerId: frame.from, mode: frame.mode });
    showNote(frame.from);
  });
  const videos = document.getElementById("vc-videos");
  if (videos) {
    new MutationObserver(() => {
      for (const peerId of notes.keys()) showNote(peerId);
    }).observe(videos, { childList: true });
  }

  setInterval(() => {
    if (running) return;
    running = true;
    tick().catch(() => {}).finally(() => { running = false; });
  }, SAMPLE_MS);

  return {
    sendingVideo: () => advisor.mode === "video",
    debug: () => ({
      mode: advisor.mode, offered: advisor.offered, probing: advisor.probing, log: log.slice(),
      peers: [...connections().entries()].map(([peerId, pc]) => {
        const entry = entries.get(pc);
        return { peerId, rung: entry?.ladder.rung ?? null, applied: entry?.applied ?? null, last: entry?.last ?? null };
      }),
      notes: Object.fromEntries(notes),
    }),
  };
}

// The offer ("sound only?") and the bar shown while sending sound only: built here, in the call
// stage after the caseworker's prompt, so the template stays as it is.
function buildUi(S) {
  const stage = document.getElementById("vc-call");
  const make = (tag, props = {}, children = []) => {
    const el = document.createElement(tag);
    Object.assign(el, props);
    el.append(...children);
    return el;
  };
  const button = (text, kind) => make("button", { type: "button", className: `button button--${kind}`, textContent: text });
  const choose = button(S.weakChoose, "primary");
  const keep = button(S.weakKeep, "secondary");
  const offerText = make("p", { id: "vc-weak-text", textContent: S.weakOffer });
  const offer = make("div", { id: "vc-weak", className: "prompt prompt--weak", hidden: true }, [
    offerText, make("div", { className: "prompt__actions" }, [choose, keep]),
  ]);
  offer.setAttribute("role", "alertdialog");
  offer.setAttribute("aria-modal", "false");
  offer.setAttribute("aria-labelledby", "vc-weak-text");
  const back = button(S.weakBack, "secondary");
  const bar = make("div", { id: "vc-weak-bar", className: "weak-bar", hidden: true }, [
    make("p", { textContent: S.weakAudioOnlyOn }), back,
  ]);
  bar.setAttribute("role", "region");
  bar.setAttribute("aria-label", S.weakChoose);
  if (stage) {
    const prompt = document.getElementById("vc-prompt");
    if (prompt) prompt.after(offer, bar);
    else stage.append(offer, bar);
  }
  return { offer, bar, choose, keep, back };
}
