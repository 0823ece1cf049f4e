// The signature box: signature_pad (vendored, MIT) on a canvas of at most 600×240 CSS pixels at
// a device pixel ratio of at most 2, so the PNG stays small (the server takes ≤ 150 KB).
// Loaded on demand by form.js when the resident reaches the signing step.
import SignaturePad from "../vendor/signature_pad/signature_pad.js";

const MAX_WIDTH = 600;
const MAX_HEIGHT = 240;
const MIN_HEIGHT = 150;
const MAX_RATIO = 2;
const MAX_PNG_BYTES = 140000; // under the server's 150 000 with some room
const MAX_STROKES = 300;
const MAX_POINTS = 30000;

const round1 = (n) => Math.round(n * 10) / 10;

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{onStroke?: () => void}} [options] called at the end of each stroke
 */
export function createSignature(canvas, { onStroke } = {}) {
  const box = canvas.parentElement;
  const pad = new SignaturePad(canvas, {
    penColor: "#1b1f24",
    minWidth: 0.9,
    maxWidth: 2.8,
    minDistance: 3,
    throttle: 16,
  });
  let cssWidth = 0;
  let cssHeight = 0;

  // The canvas takes the width of its box (CSS: inline-size 100%, block-size auto); its bitmap
  // sets the height through the aspect ratio.
  function resize() {
    if (!box.clientWidth) return; // hidden (the sheet is folded away): keep the drawing as it is
    const width = Math.max(200, Math.min(MAX_WIDTH, Math.floor(box.clientWidth)));
    if (width === cssWidth) return;
    const height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, width * 0.42)));
    const ratio = Math.min(MAX_RATIO, Math.max(1, window.devicePixelRatio || 1));
    const data = pad.toData();
    const scale = cssWidth ? width / cssWidth : 1;
    cssWidth = width;
    cssHeight = height;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    if (data.length) {
      for (const group of data) for (const point of group.points) {
        point.x *= scale;
        point.y *= scale;
      }
      pad.fromData(data);
    }
  }

  const observer = typeof ResizeObserver === "function" ? new ResizeObserver(() => resize()) : null;
  if (observer) observer.observe(box);
  else window.addEventListener("resize", resize);
  resize();
  if (onStroke) pad.addEventListener("endStroke", onStroke);

  function png() {
    let data = canvas.toDataURL("image/png").split(",", 2)[1];
    if ((data.length * 3) / 4 > MAX_PNG_BYTES) {
      // A very dense signature on a sharp screen: the same picture at 1× is enough.
      const small = document.createElement("canvas");
      small.width = cssWidth;
      small.height = cssHeight;
      small.getContext("2d").drawImage(canvas, 0, 0, cssWidth, cssHeight);
      data = small.toDataURL("image/png").split(",", 2)[1];
    }
    if ((data.length * 3) / 4 > MAX_PNG_BYTES) throw new Error("signature image too large");
    return data;
  }

  /** [[[x, y, t], …], …]: CSS pixels (1 decimal), t in ms since the first point. */
  function strokes() {
    const groups = pad.toData().filter((group) => group.points.length);
    const start = groups[0]?.points[0]?.time || 0;
    const out = groups.map((group) => group.points.map((p) => [round1(p.x), round1(p.y), Math.max(0, Math.round(p.time - start))]));
    const points = out.reduce((sum, stroke) => sum + stroke.length, 0);
    if (!out.length || out.length > MAX_STROKES || points > MAX_POINTS) throw new Error("signature too complex");
    return out;
  }

  return {
    isEmpty: () => pad.isEmpty(),
    clear: () => pad.clear(),
    export: () => ({ strokes: strokes(), png: png() }),
    destroy() {
      if (observer) observer.disconnect();
      else window.removeEventListener("resize", resize);
      pad.off();
    },
  };
}
