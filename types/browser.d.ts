// Declarations for the type check of the browser modules (tsconfig.json) where TypeScript's own
// DOM library has no type: the AudioWorklet scope, Chromium-only APIs, and the read-only hooks the
// pages put on `window` for support staff and browser tests.

// pcm-worklet.js runs in an AudioWorkletGlobalScope, which TypeScript's libraries do not describe.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

// ImageCapture.grabFrame (Chromium), used by capture.js; the DOM library declares takePhoto only.
interface ImageCapture {
  grabFrame(): Promise<ImageBitmap>;
}

// The Network Information API (Chromium), used by call-page.js to notice a network change.
interface Navigator {
  readonly connection?: EventTarget & { readonly type?: string; readonly effectiveType?: string };
}

interface Window {
  vcDebug?: any;
  vcCheck?: { network: any };
  vcCaptions?: any;
  vcCaptionCodec?: "opus" | "pcm"; // a test may force the captions codec
  vcBuilder?: any;
}
