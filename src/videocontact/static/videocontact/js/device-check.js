// Resident device check: camera preview, camera choice, microphone level.
import { LocalMedia, rememberCamera } from "./media.js";

const strings = JSON.parse(document.getElementById("check-strings").textContent);
const video = document.getElementById("check-video");
const status = document.getElementById("check-status");
const select = document.getElementById("check-camera");
const meter = document.getElementById("check-mic");
const media = new LocalMedia();
let audioContext = null;
let meterFrame = 0;

function say(text) {
  status.textContent = text;
}

async function listCameras() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const cameras = devices.filter((d) => d.kind === "videoinput");
  const current = media.videoTrack ? media.videoTrack.getSettings().deviceId : null;
  select.replaceChildren(
    ...cameras.map((camera, index) => {
      const option = document.createElement("option");
      option.value = camera.deviceId;
      option.textContent = camera.label || `${strings.camera} ${index + 1}`;
      option.selected = camera.deviceId === current;
      return option;
    }),
  );
  select.disabled = cameras.length < 2;
}

function watchMicrophone(stream) {
  const tracks = stream.getAudioTracks();
  if (!tracks.length || !window.AudioContext) return;
  audioContext = new AudioContext();
  const analyser = audioContext.createAnalyser();
  analyser.fftSize = 512;
  audioContext.createMediaStreamSource(new MediaStream(tracks)).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const tick = () => {
    analyser.getFloatTimeDomainData(samples);
    let peak = 0;
    for (const s of samples) peak = Math.max(peak, Math.abs(s));
    meter.value = Math.min(1, peak * 2);
    meterFrame = requestAnimationFrame(tick);
  };
  tick();
  document.addEventListener("click", () => audioContext.resume(), { once: true });
}

async function start(deviceId) {
  media.stop();
  if (deviceId) rememberCamera(deviceId);
  try {
    const stream = await media.start();
    video.srcObject = stream;
    say(strings.ready);
    await listCameras();
    if (!audioContext) watchMicrophone(stream);
  } catch (error) {
    say(error && error.name === "NotAllowedError" ? strings.denied : strings.noDevice);
  }
}

select.addEventListener("change", () => start(select.value));
window.addEventListener("pagehide", () => {
  cancelAnimationFrame(meterFrame);
  media.stop();
  if (audioContext) audioContext.close();
});

if (!window.isSecureContext) say(strings.insecure);
else start(null);
