// Device and network check: camera preview and choice, microphone level, a test sound, and a
// connection test through the organisation's TURN server (relay only, a loopback data channel).
import { LocalMedia, rememberCamera } from "./media.js";

// `mount(config)` (device-check-entry.js, with the page's "check-config"). The page's elements
// and state are set by `mount`; the functions below use them.

/** @type {any} */
let config = null;
/** @type {Record<string, string>} */
let S = {};
/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
/** @type {HTMLVideoElement} */
let video;
/** @type {HTMLSelectElement} */
let select;
/** @type {HTMLMeterElement} */
let meter;
/** @type {LocalMedia} */
let media;
/** @type {AudioContext | null} */
let audioContext = null;
let meterFrame = 0;
let heard = false;

function say(id, text, result) {
  const element = $(id);
  element.textContent = text;
  if (result) element.dataset.result = result;
}

// Camera and microphone ----------------------------------------------------------------------

async function listCameras() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const cameras = devices.filter((d) => d.kind === "videoinput");
  const current = media.videoTrack ? media.videoTrack.getSettings().deviceId : null;
  select.replaceChildren(
    ...cameras.map((camera, index) => {
      const option = document.createElement("option");
      option.value = camera.deviceId;
      option.textContent = camera.label || `${S.camera} ${index + 1}`;
      option.selected = camera.deviceId === current;
      return option;
    }),
  );
  select.disabled = cameras.length < 2;
}

function context() {
  if (!audioContext && window.AudioContext) audioContext = new AudioContext();
  return audioContext;
}

function watchMicrophone(stream) {
  const tracks = stream.getAudioTracks();
  const ctx = context();
  if (!tracks.length || !ctx) return;
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 512;
  ctx.createMediaStreamSource(new MediaStream(tracks)).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const started = performance.now();
  say("check-mic-status", "");
  const tick = () => {
    analyser.getFloatTimeDomainData(samples);
    let peak = 0;
    for (const s of samples) peak = Math.max(peak, Math.abs(s));
    meter.value = Math.min(1, peak * 2);
    if (!heard && meter.value > 0.05) {
      heard = true;
      say("check-mic-status", S.micOk, "ok");
    } else if (!heard && performance.now() - started > 8000 && !$("check-mic-status").dataset.result) {
      say("check-mic-status", S.micSilent, "quiet");
    }
    meterFrame = requestAnimationFrame(tick);
  };
  tick();
  document.addEventListener("click", () => ctx.resume(), { once: true });
}

function cameraAdvice(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") return S.cameraDenied;
  if (name === "NotReadableError" || name === "AbortError") return S.cameraBusy;
  return S.cameraMissing;
}

async function start(deviceId) {
  media.stop();
  if (deviceId) rememberCamera(deviceId);
  try {
    const stream = await media.start();
    video.srcObject = stream;
    say("check-status", S.ready, "ok");
    await listCameras();
    if (!meterFrame) watchMicrophone(stream);
  } catch (error) {
    say("check-status", cameraAdvice(error), "fail");
  }
}

// Sound --------------------------------------------------------------------------------------

function playBeep() {
  const ctx = context();
  if (!ctx) throw new Error("no audio");
  ctx.resume();
  const oscillator = ctx.createOscillator();
  const gain = ctx.createGain();
  oscillator.frequency.value = 660;
  gain.gain.setValueAtTime(0.0001, ctx.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.3, ctx.currentTime + 0.05);
  gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 1.2);
  oscillator.connect(gain).connect(ctx.destination);
  oscillator.start();
  oscillator.stop(ctx.currentTime + 1.25);
}

// Network: TURN relay and a data channel round trip ------------------------------------------

function isRelay(candidate) {
  return candidate.type === "relay" || / typ relay /.test(candidate.candidate || "");
}

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("timeout")), ms); }),
  ]).finally(() => clearTimeout(timer));
}

async function relayRoundTrip(iceServers) {
  /** @type {RTCConfiguration} */
  const options = { iceServers, iceTransportPolicy: "relay" };
  const a = new RTCPeerConnection(options);
  const b = new RTCPeerConnection(options);
  const result = { relay: false, rtt: null };
  let gathered;
  const gatheringDone = new Promise((resolve) => { gathered = resolve; });
  try {
    a.onicecandidate = (event) => {
      if (!event.candidate) { gathered(); return; }
      if (isRelay(event.candidate)) result.relay = true;
      b.addIceCandidate(event.candidate).catch(() => {});
    };
    b.onicecandidate = (event) => {
      if (event.candidate) a.addIceCandidate(event.candidate).catch(() => {});
    };
    b.ondatachannel = ({ channel }) => {
      channel.onmessage = (message) => channel.send(message.data);
    };
    const channel = a.createDataChannel("check");
    const open = new Promise((resolve) => { channel.onopen = resolve; });
    const offer = await a.createOffer();
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    const answer = await b.createAnswer();
    await b.setLocalDescription(answer);
    await a.setRemoteDescription(answer);
    // Gathering that ends without a relay candidate means TURN cannot be reached.
    const opened = await withTimeout(new Promise((resolve) => {
      open.then(() => resolve(true));
      gatheringDone.then(() => { if (!result.relay) resolve(false); });
    }), config.timeoutMs).catch(() => false);
    if (!opened) return result;
    const echo = new Promise((resolve) => { channel.onmessage = resolve; });
    const sent = performance.now();
    channel.send("ping");
    await withTimeout(echo, config.timeoutMs);
    result.rtt = Math.round(performance.now() - sent);
    return result;
  } catch {
    return result;
  } finally {
    a.close();
    b.close();
  }
}

async function testNetwork() {
  $("check-net-retry").hidden = true;
  say("check-net-status", S.netTesting, "pending");
  if (!window.RTCPeerConnection) {
    say("check-net-status", S.netUnsupported, "fail");
    return;
  }
  if (!config.mayTestTurn) {
    say("check-net-status", S.netNoLink, "none");
    return;
  }
  let data;
  try {
    const response = await fetch(config.turnUrl, { credentials: "same-origin", cache: "no-store" });
    if (response.status === 403) {
      say("check-net-status", S.netNoLink, "none");
      return;
    }
    if (!response.ok) throw new Error(`TURN credentials: ${response.status}`); // e.g. 429
    data = await response.json();
  } catch {
    say("check-net-status", S.netFailed, "fail");
    $("check-net-retry").hidden = false;
    return;
  }
  if (!data.configured) {
    say("check-net-status", S.netNotConfigured, "none");
    return;
  }
  const result = await relayRoundTrip(data.iceServers);
  window.vcCheck.network = result;
  if (result.relay && result.rtt !== null) {
    say("check-net-status", S.netOkTime.replace("{ms}", String(result.rtt)), "ok");
  } else {
    say("check-net-status", S.netFailed, "fail");
    $("check-net-retry").hidden = false;
  }
}

/**
 * The check on this page: camera, microphone, sound and network.
 * @param {any} pageConfig the page's "check-config" (strings, TURN URL, timeout)
 */
export function mount(pageConfig) {
  config = pageConfig;
  S = config.strings;
  video = $("check-video");
  select = $("check-camera");
  meter = $("check-mic");
  media = new LocalMedia();
  $("check-sound-play").addEventListener("click", () => {
    try {
      playBeep();
    } catch {
      say("check-sound-status", S.soundFailed, "fail");
      return;
    }
    say("check-sound-status", S.soundPlaying);
    $("check-sound-question").hidden = false;
  });
  $("check-sound-yes").addEventListener("click", () => {
    $("check-sound-question").hidden = true;
    say("check-sound-status", S.soundOk, "ok");
  });
  $("check-sound-no").addEventListener("click", () => {
    $("check-sound-question").hidden = true;
    say("check-sound-status", S.soundNo, "fail");
  });
  $("check-net-retry").addEventListener("click", testNetwork);
  select.addEventListener("change", () => start(select.value));
  window.addEventListener("pagehide", () => {
    cancelAnimationFrame(meterFrame);
    media.stop();
    if (audioContext) audioContext.close();
  });

  // Read-only results for automated browser tests and support staff.
  window.vcCheck = { network: null };

  if (!window.isSecureContext) say("check-status", S.insecure, "fail");
  else start(null);
  testNetwork();
}
