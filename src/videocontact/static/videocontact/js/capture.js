// Photos from the resident's own camera: a still from the LOCAL track at full resolution (not the
// remote video, which arrives scaled down), JPEG, uploaded over HTTPS with the page's session.
// Also the camera's torch and zoom, which the page applies only after the resident said yes.

const RETRIES = 3; // after the first attempt
const RETRY_DELAY_MS = 700;

export class UploadError extends Error {
  constructor(code, status = 0) {
    super(code);
    this.code = code;
    this.status = status;
  }
}

// ImageCapture.grabFrame() gives the camera frame at the track's own resolution. Where it is
// missing (Safari, Firefox) the local <video> of the local stream is drawn at its intrinsic size.
async function grabBitmap(track, video) {
  if (typeof ImageCapture === "function") {
    try {
      return await new ImageCapture(track).grabFrame();
    } catch {
      // fall back to the video element
    }
  }
  if (!video || !video.videoWidth) throw new UploadError("no_frame");
  return video;
}

export async function capturePhoto(track, video, quality = 0.92) {
  if (!track || track.readyState !== "live" || !track.enabled) throw new UploadError("no_camera");
  const source = await grabBitmap(track, video);
  const width = source.videoWidth || source.width;
  const height = source.videoHeight || source.height;
  if (!width || !height) throw new UploadError("no_frame");
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d").drawImage(source, 0, 0, width, height);
  if (typeof source.close === "function") source.close();
  const encoded = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  if (!encoded) throw new UploadError("encode_failed");
  const bytes = stripJpegMetadata(new Uint8Array(await encoded.arrayBuffer()));
  return { blob: new Blob([bytes], { type: "image/jpeg" }), width, height };
}

// The same rule as the server (evidence/hygiene.py): drop APP1..APP15 (EXIF, XMP, the ICC
// profile the browser adds) and COM segments before the scan. Then the server stores exactly
// these bytes, and the hash this page computes is the hash of the stored photo.
export function stripJpegMetadata(data) {
  if (data[0] !== 0xff || data[1] !== 0xd8) return data;
  const parts = [data.subarray(0, 2)];
  let pos = 2;
  while (pos + 4 <= data.length) {
    if (data[pos] !== 0xff) return data;
    const marker = data[pos + 1];
    if (marker === 0xff) { pos += 1; continue; }
    if (marker === 0xda) { parts.push(data.subarray(pos)); break; }
    if ((marker >= 0xd0 && marker <= 0xd9) || marker === 0x01) {
      parts.push(data.subarray(pos, pos + 2));
      pos += 2;
      continue;
    }
    const end = pos + 2 + ((data[pos + 2] << 8) | data[pos + 3]);
    if (end > data.length) return data;
    if (!((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe)) parts.push(data.subarray(pos, end));
    pos = end;
  }
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// POST the image as the request body. A refusal (4xx) is final; a network error or a 5xx is
// tried again: the server stores a request's photo once and answers a retry with the same photo.
export async function uploadPhoto({ url, csrfToken, request, blob }) {
  let lastError = null;
  for (let attempt = 0; attempt <= RETRIES; attempt += 1) {
    if (attempt) await wait(RETRY_DELAY_MS * attempt);
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": blob.type, "X-CSRFToken": csrfToken, "X-Photo-Request": request },
        body: blob,
      });
    } catch {
      lastError = new UploadError("network");
      continue;
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (response.ok && body && body.sha256) return body;
    const code = body && body.error && body.error.code ? body.error.code : `http_${response.status}`;
    lastError = new UploadError(code, response.status);
    if (response.status >= 400 && response.status < 500) break;
  }
  throw lastError;
}

// Torch and zoom ------------------------------------------------------------------------------

export function cameraCaps(track) {
  const caps = track && track.getCapabilities ? track.getCapabilities() : {};
  const zoom = caps.zoom && caps.zoom.max > caps.zoom.min
    ? { min: caps.zoom.min, max: caps.zoom.max, step: caps.zoom.step || 0 }
    : null;
  return { torch: caps.torch === true || (Array.isArray(caps.torch) && caps.torch.includes(true)), zoom };
}

export async function applyTorch(track, on) {
  if (!track || !cameraCaps(track).torch) throw new Error("no-torch");
  await track.applyConstraints({ advanced: [{ torch: on }] });
}

export async function applyZoom(track, value) {
  const { zoom } = cameraCaps(track);
  if (!zoom) throw new Error("no-zoom");
  const clamped = Math.min(zoom.max, Math.max(zoom.min, value));
  await track.applyConstraints({ advanced: [{ zoom: clamped }] });
}

// The visible sign on the resident's phone: a short white flash and a notice that stays a while.
export function showTaken(flash, notice, text) {
  if (flash) {
    flash.classList.remove("photo-flash--on");
    void flash.offsetWidth; // restart the animation
    flash.classList.add("photo-flash--on");
  }
  if (notice) {
    notice.textContent = text;
    notice.hidden = false;
    clearTimeout(showTaken.timer);
    showTaken.timer = setTimeout(() => { notice.hidden = true; }, 8000);
  }
}
