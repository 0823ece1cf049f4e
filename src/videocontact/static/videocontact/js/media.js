// The local camera and microphone: start, mute, camera off, and front/back switch.

const CAMERA_KEY = "vc-camera";

function videoConstraints(facing, deviceId) {
  const size = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 24, max: 30 } };
  if (deviceId) return { ...size, deviceId: { exact: deviceId } };
  return { ...size, facingMode: { ideal: facing } };
}

const AUDIO = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

export function rememberCamera(deviceId) {
  try {
    localStorage.setItem(CAMERA_KEY, deviceId);
  } catch {
    /* private mode: not remembered */
  }
}

function rememberedCamera() {
  try {
    return localStorage.getItem(CAMERA_KEY) || null;
  } catch {
    return null;
  }
}

export class LocalMedia {
  constructor() {
    this.stream = null;
    this.facing = "user";
    this.audioEnabled = true;
    this.videoEnabled = true;
  }

  get available() {
    return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  // Camera + microphone; falls back to microphone only, then to nothing (receive-only).
  async start() {
    if (!this.available) throw new Error("no-media-devices");
    const attempts = [
      { audio: AUDIO, video: videoConstraints(this.facing, rememberedCamera()) },
      { audio: AUDIO, video: videoConstraints(this.facing) },
      { audio: AUDIO, video: false },
    ];
    let lastError = null;
    for (const constraints of attempts) {
      try {
        this.stream = await navigator.mediaDevices.getUserMedia(constraints);
        this.readFacing();
        return this.stream;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  readFacing() {
    const track = this.videoTrack;
    const setting = track && track.getSettings ? track.getSettings().facingMode : null;
    if (setting === "user" || setting === "environment") this.facing = setting;
  }

  get videoTrack() {
    return this.stream ? this.stream.getVideoTracks()[0] || null : null;
  }

  setAudio(enabled) {
    this.audioEnabled = enabled;
    if (this.stream) for (const t of this.stream.getAudioTracks()) t.enabled = enabled;
  }

  setVideo(enabled) {
    this.videoEnabled = enabled;
    if (this.stream) for (const t of this.stream.getVideoTracks()) t.enabled = enabled;
  }

  // Many phones cannot open two cameras at once: stop the old track before asking for the new.
  async switchFacing(facing) {
    const target = facing || (this.facing === "user" ? "environment" : "user");
    const old = this.videoTrack;
    if (old) {
      old.stop();
      this.stream.removeTrack(old);
    }
    let fresh;
    try {
      fresh = await navigator.mediaDevices.getUserMedia({
        video: { ...videoConstraints(target), facingMode: { exact: target } },
      });
    } catch {
      fresh = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(target) });
    }
    const track = fresh.getVideoTracks()[0];
    track.enabled = this.videoEnabled;
    if (!this.stream) this.stream = new MediaStream();
    this.stream.addTrack(track);
    this.facing = target;
    this.readFacing();
    return track;
  }

  stop() {
    if (this.stream) for (const t of this.stream.getTracks()) t.stop();
  }
}
