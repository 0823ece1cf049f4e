// Video on a weak network: how far to step the outgoing video down, and when to offer audio only.
// Pure: no DOM, no timers, no RTCPeerConnection (js/weak-network.js reads getStats, applies the
// rung with RTCRtpSender.setParameters and shows the offer). Tested in tests/js/adapt.test.mjs.
//
// Each outgoing video connection sits on a rung of a ladder. A sample (once a second) is "bad"
// when packets are lost, the round trip is long or the browser's bandwidth estimate is below what
// the rung sends; two bad samples in a row step down at once to the rung that fits the estimate.
// A sample is "good" when nothing is lost and the estimate has room above the rung; the ladder
// climbs one rung after UP_AFTER good samples in a row, and a climb that fails soon after doubles
// the wait for the next one (hysteresis: no see-saw between two rungs). At the lowest rung, still
// bad for WEAK_AFTER samples, the connection is "weak": the page offers audio only.

// The video budget leaves this much of the estimate to the audio (Opus plus packet overhead).
export const AUDIO_BPS = 40_000;
// maxBitrate in bit/s (null: the browser decides), scaleResolutionDownBy, maxFramerate (null: no
// cap). With the 1280×720 camera: 720p, 480p, 360p, 180p, 90p.
export const RUNGS = [
  { maxBitrate: null, scale: 1, fps: null, nominal: 1_200_000 },
  { maxBitrate: 600_000, scale: 1.5, fps: 24, nominal: 600_000 },
  { maxBitrate: 300_000, scale: 2, fps: 20, nominal: 300_000 },
  { maxBitrate: 150_000, scale: 4, fps: 15, nominal: 150_000 },
  { maxBitrate: 70_000, scale: 8, fps: 10, nominal: 70_000 },
];
export const FLOOR = RUNGS.length - 1;
export const SAMPLE_MS = 1000;
export const DOWN_AFTER = 2;
export const UP_AFTER = 4;
export const MAX_UP_AFTER = 32;
export const WEAK_AFTER = 4;
export const LOSS_BAD = 0.08;
export const LOSS_GOOD = 0.02;
export const RTT_BAD = 0.8; // s
export const RTT_GOOD = 0.4;
// Below this fraction of the rung's nominal bitrate the estimate says the rung does not fit.
export const FIT = 0.7;
// Above this multiple of the rung's nominal bitrate there is room to climb (Chromium's estimate
// grows to about 1.5× what is actually sent, so a capped rung can still show headroom).
export const HEADROOM = 1.25;
// Audio only: after this long with healthy audio the page tries video again at the lowest rung.
export const PROBE_FIRST_MS = 8000;
export const PROBE_MAX_MS = 64_000;

// The video budget of an estimate (bit/s of the whole connection), or null when unknown.
export function videoBudget(estimate) {
  return typeof estimate === "number" && Number.isFinite(estimate) ? Math.max(0, estimate - AUDIO_BPS) : null;
}

// The highest rung whose nominal bitrate fits a budget (the floor when none does).
export function rungFor(budget) {
  if (budget === null) return FLOOR;
  const index = RUNGS.findIndex((rung) => rung.nominal * FIT <= budget);
  return index === -1 ? FLOOR : index;
}

// One sample ({estimate, loss, rtt}: bit/s, 0–1, s; each may be null) judged on rung `rung`.
export function assess({ estimate = null, loss = null, rtt = null }, rung) {
  const budget = videoBudget(estimate);
  const nominal = RUNGS[rung].nominal;
  if ((loss !== null && loss > LOSS_BAD) || (rtt !== null && rtt > RTT_BAD)) return "bad";
  if (budget !== null && budget < nominal * FIT) return "bad";
  const quiet = (loss === null || loss < LOSS_GOOD) && (rtt === null || rtt < RTT_GOOD);
  if (quiet && (budget === null || budget >= nominal * HEADROOM)) return "good";
  return "ok";
}

// One outgoing video connection's ladder.
export class Ladder {
  constructor(rung = 0) {
    this.rung = rung;
    this.bad = 0;
    this.good = 0;
    this.upAfter = UP_AFTER;
    this.climbedAt = null; // sample count of the last climb
    this.samples = 0;
  }

  get weak() {
    return this.rung === FLOOR && this.bad >= WEAK_AFTER;
  }

  // Feed one sample; returns the rung to use now (changed or not).
  update(sample) {
    this.samples += 1;
    const verdict = assess(sample, this.rung);
    if (verdict === "bad") {
      this.bad += 1;
      this.good = 0;
      if (this.bad >= DOWN_AFTER && this.rung < FLOOR) {
        // To the rung that fits the estimate; without one (loss, delay), one rung down.
        const budget = videoBudget(sample.estimate ?? null);
        const fits = budget === null ? this.rung + 1 : Math.max(this.rung + 1, rungFor(budget));
        // A climb that failed within a few samples: wait twice as long before the next one.
        if (this.climbedAt !== null && this.samples - this.climbedAt <= this.upAfter + DOWN_AFTER) {
          this.upAfter = Math.min(MAX_UP_AFTER, this.upAfter * 2);
        }
        this.rung = Math.min(FLOOR, fits);
        this.climbedAt = null;
        if (this.rung < FLOOR) this.bad = 0;
      }
      return this.rung;
    }
    this.bad = 0;
    if (verdict !== "good") {
      this.good = 0;
      return this.rung;
    }
    this.good += 1;
    if (this.good >= this.upAfter && this.rung > 0) {
      this.rung -= 1;
      this.good = 0;
      this.climbedAt = this.samples;
    } else if (this.rung === 0 && this.good >= MAX_UP_AFTER) {
      this.upAfter = UP_AFTER; // long enough at the top: the next trouble starts afresh
    }
    return this.rung;
  }
}

// The page as a whole: video, audio-only offered, audio-only chosen (with probes of video).
// `weak`: every connection that sends video is weak. `healthy`: the audio (or a probe) is clean.
export class AudioOnlyAdvisor {
  constructor() {
    this.mode = "video"; // video | audio-only
    this.offered = false;
    this.declinedAt = null; // the person said "keep video": offer again only after a while
    this.probeEvery = PROBE_FIRST_MS;
    this.healthySince = null;
    this.probing = false;
  }

  // Video mode: should the offer show (now, given whether the connections are weak)?
  watch(weak, now) {
    if (this.mode !== "video") return this.offered;
    if (!weak) {
      this.offered = false;
      return false;
    }
    if (this.declinedAt !== null && now - this.declinedAt < PROBE_MAX_MS) return false;
    this.offered = true;
    return true;
  }

  decline(now) {
    this.offered = false;
    this.declinedAt = now;
  }

  choose(now) {
    this.mode = "audio-only";
    this.offered = false;
    this.healthySince = now;
    this.probing = false;
  }

  // Audio-only mode, once a sample: is it time to try video again (at the lowest rung)?
  probeDue(healthy, now) {
    if (this.mode !== "audio-only" || this.probing) return false;
    if (!healthy) {
      this.healthySince = null;
      return false;
    }
    if (this.healthySince === null) this.healthySince = now;
    if (now - this.healthySince < this.probeEvery) return false;
    this.probing = true;
    return true;
  }

  // The probe's outcome: recovered (back to video; the caseworker is told) or not (audio only
  // again, and the next probe waits twice as long).
  probeResult(recovered, now) {
    this.probing = false;
    if (recovered) {
      this.mode = "video";
      this.probeEvery = PROBE_FIRST_MS;
      this.declinedAt = null;
    } else {
      this.probeEvery = Math.min(PROBE_MAX_MS, this.probeEvery * 2);
      this.healthySince = now;
    }
    return this.mode;
  }
}

// getStats() of one connection → a sample: the selected pair's availableOutgoingBitrate and
// round-trip time, the video packet loss the other side reports (remote-inbound-rtp: a fraction,
// else from the cumulative counters since `before`), the sent frame rate and height, and whether
// the encoder says it is limited by bandwidth. `before`: the previous counters (or null).
export function readSample(report, before = null) {
  const out = {
    estimate: null, rtt: null, loss: null, fps: null, height: null, limited: false,
    audioLoss: null, counters: { sent: 0, lost: 0, audioSent: 0, audioLost: 0 },
  };
  const outbound = new Map();
  report.forEach((s) => {
    if (s.type === "outbound-rtp") outbound.set(s.id, s);
  });
  let fraction = null;
  let audioFraction = null;
  report.forEach((s) => {
    if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") {
      if (typeof s.availableOutgoingBitrate === "number") out.estimate = s.availableOutgoingBitrate;
      if (typeof s.currentRoundTripTime === "number") out.rtt = s.currentRoundTripTime;
    } else if (s.type === "outbound-rtp" && s.kind === "video") {
      out.counters.sent += s.packetsSent || 0;
      if (typeof s.framesPerSecond === "number") out.fps = s.framesPerSecond;
      if (typeof s.frameHeight === "number") out.height = s.frameHeight;
      if (s.qualityLimitationReason === "bandwidth") out.limited = true;
    } else if (s.type === "outbound-rtp" && s.kind === "audio") {
      out.counters.audioSent += s.packetsSent || 0;
    } else if (s.type === "remote-inbound-rtp") {
      const kind = s.kind || outbound.get(s.localId)?.kind;
      if (kind === "video") {
        out.counters.lost += Math.max(0, s.packetsLost || 0);
        if (typeof s.fractionLost === "number") fraction = Math.max(fraction ?? 0, s.fractionLost);
      } else if (kind === "audio") {
        out.counters.audioLost += Math.max(0, s.packetsLost || 0);
        if (typeof s.fractionLost === "number") audioFraction = Math.max(audioFraction ?? 0, s.fractionLost);
      }
    }
  });
  const rate = (lostKey, sentKey) => {
    if (!before) return null;
    const sent = out.counters[sentKey] - (before[sentKey] || 0);
    const lost = Math.max(0, out.counters[lostKey] - (before[lostKey] || 0));
    return sent > 0 ? Math.min(1, lost / sent) : null;
  };
  out.loss = rate("lost", "sent") ?? fraction;
  out.audioLoss = rate("audioLost", "audioSent") ?? audioFraction;
  return out;
}

/**
 * The encoding parameters of a rung (for RTCRtpSender.setParameters), on top of `encoding`.
 * @param {number} rung
 * @param {RTCRtpEncodingParameters} [encoding]
 * @param {boolean} [active]
 * @returns {RTCRtpEncodingParameters}
 */
export function encodingFor(rung, encoding = {}, active = true) {
  const { maxBitrate, scale, fps } = RUNGS[rung];
  /** @type {RTCRtpEncodingParameters} */
  const next = { ...encoding, active, scaleResolutionDownBy: scale };
  if (maxBitrate === null) delete next.maxBitrate;
  else next.maxBitrate = maxBitrate;
  if (fps === null) delete next.maxFramerate;
  else next.maxFramerate = fps;
  return next;
}
