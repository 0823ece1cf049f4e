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

// The call's track runs at about 1280x720 (enough for video, and kind to the uplink); a photo
// must have what the camera can do. In order:
// 1. ImageCapture.takePhoto() with the largest photoSettings the camera offers (Chromium: on
//    Android the full sensor, 12 MP on a typical phone; on desktop the camera's largest size).
// 2. Otherwise the track is raised to the camera's maximum (getCapabilities) for one frame,
//    grabbed (ImageCapture.grabFrame, else the local <video>), and put back.
// Either way the image is drawn on a canvas and encoded as JPEG here: that applies the camera's
// orientation, drops everything but pixels, and the bytes hashed are the bytes sent.

async function largestPhotoSettings(capture) {
  try {
    const caps = await capture.getPhotoCapabilities();
    const width = caps.imageWidth && caps.imageWidth.max;
    const height = caps.imageHeight && caps.imageHeight.max;
    return width && height ? { imageWidth: width, imageHeight: height } : {};
  } catch {
    return {};
  }
}

async function viaTakePhoto(track) {
  if (typeof ImageCapture !== "function") return null;
  try {
    const capture = new ImageCapture(track);
    const blob = await capture.takePhoto(await largestPhotoSettings(capture));
    return await createImageBitmap(blob, { imageOrientation: "from-image" });
  } catch {
    return null; // no takePhoto on this camera (or it is busy): the track's frame will do
  }
}

const nextFrame = (video) => new Promise((resolve) => {
  if (video && typeof video.requestVideoFrameCallback === "function") {
    video.requestVideoFrameCallback(() => resolve());
    setTimeout(resolve, 1000);
  } else {
    setTimeout(resolve, 300);
  }
});

// Raise the track to the camera's largest size for `work`, then restore what the call asked for.
async function atFullSize(track, video, work) {
  const caps = typeof track.getCapabilities === "function" ? track.getCapabilities() : {};
  const settings = typeof track.getSettings === "function" ? track.getSettings() : {};
  const before = typeof track.getConstraints === "function" ? track.getConstraints() : {};
  const width = caps.width && caps.width.max;
  const height = caps.height && caps.height.max;
  let raised = false;
  if (width && height && (width > (settings.width || 0) || height > (settings.height || 0))) {
    try {
      await track.applyConstraints({ ...before, width: { ideal: width }, height: { ideal: height } });
      raised = true;
      await nextFrame(video);
    } catch {
      // the camera refused: take what the track gives
    }
  }
  try {
    return await work();
  } finally {
    if (raised) await track.applyConstraints(before).catch(() => {});
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

async function encode(source, quality) {
  const width = source.videoWidth || source.width;
  const height = source.videoHeight || source.height;
  if (!width || !height) throw new UploadError("no_frame");
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d").drawImage(source, 0, 0, width, height);
  if (typeof source.close === "function") source.close();
  const encoded = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  canvas.width = canvas.height = 0; // free the pixels now (a 12 MP canvas is 48 MB)
  if (!encoded) throw new UploadError("encode_failed");
  const bytes = stripJpegMetadata(new Uint8Array(await encoded.arrayBuffer()));
  return { blob: new Blob([bytes], { type: "image/jpeg" }), width, height };
}

export async function capturePhoto(track, video, quality = 0.92) {
  if (!track || track.readyState !== "live" || !track.enabled) throw new UploadError("no_camera");
  const photo = await viaTakePhoto(track);
  if (photo) return { ...(await encode(photo, quality)), method: "takePhoto" };
  return atFullSize(track, video, async () => {
    const frame = await grabBitmap(track, video);
    const method = frame === video ? "video" : "grabFrame";
    return { ...(await encode(frame, quality)), method };
  });
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
    if (marker === 0xda) {
      const end = endOfImage(data, pos);
      if (end < 0) return data; // no end marker: the server refuses it as incomplete
      parts.push(data.subarray(pos, end));
      break;
    }
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

// From the first scan up to and including the end-of-image marker; anything after it is cut
// off, as the server does (in entropy-coded data 0xFF is followed by 0x00 or a restart marker,
// so FF D9 there is the real end). -1 without one.
function endOfImage(data, start) {
  for (let pos = data.indexOf(0xff, start); pos >= 0 && pos + 1 < data.length; pos = data.indexOf(0xff, pos + 2)) {
    if (data[pos + 1] === 0xd9) return pos + 2;
  }
  return -1;
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
let noticeTimer = 0;

/**
 * @param {HTMLElement | null} flash
 * @param {HTMLElement | null} notice
 * @param {string} text
 */
export function showTaken(flash, notice, text) {
  if (flash) {
    flash.classList.remove("photo-flash--on");
    void flash.offsetWidth; // restart the animation
    flash.classList.add("photo-flash--on");
  }
  if (notice) {
    notice.textContent = text;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => { notice.hidden = true; }, 8000);
  }
}
