// The captions audio socket with reconnect (caption-audio.js sends through it). A dropped socket
// or a restarted server: it reconnects on the room socket's back-off (backoff.js), so captions
// are back within a second of the server answering. While it is down, audio is dropped, never
// queued: captions are live. A close that says "no" (no access, captions not on, no engine, bad
// audio) is final; captions.js starts a new sender when the captions state says "on" again.
// No DOM; the WebSocket, the timers, the clock and the randomness are injectable for node tests.
import { reconnectDelay } from "./backoff.js";

/** Closes after which reconnecting cannot help (docs/protocol.md "Live captions"). */
export const FINAL_CLOSE_CODES = new Set([1000, 1007, 1009, 4401, 4403, 4503]);
// Bytes the socket may hold unsent (about 1 s of PCM, 10 s of Opus): beyond that, audio is dropped.
export const MAX_BUFFERED = 32_000;
// Still over that limit after this long: the path is dead although TCP has not noticed. The
// server never writes on this socket, so there is no ping to notice it by.
export const STALL_MS = 5000;
const OPEN = 1;
const CLOSING = 2;

/**
 * @typedef {{readyState: number, bufferedAmount: number, binaryType: string,
 *   send(data: ArrayBuffer): void, close(code?: number): void,
 *   addEventListener(type: string, handler: (event: any) => void): void}} SocketLike
 * @typedef {"connecting"|"open"|"down"|"closed"} LinkState
 */

export class CaptionLink {
  /**
   * @param {string} url
   * @param {{
   *   onState?: (state: LinkState, code?: number) => void,
   *   open?: (url: string) => SocketLike,
   *   setTimer?: (fn: () => void, ms: number) => any,
   *   clearTimer?: (timer: any) => void,
   *   now?: () => number,
   *   random?: () => number,
   * }} [options]
   */
  constructor(url, options = {}) {
    this.url = url;
    this.onState = options.onState || (() => {});
    this.open = options.open || ((address) => /** @type {SocketLike} */ (new WebSocket(address)));
    this.setTimer = options.setTimer || ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer || ((timer) => clearTimeout(timer));
    this.now = options.now || Date.now;
    this.random = options.random || Math.random;
    /** @type {LinkState} */
    this.state = "connecting";
    /** @type {SocketLike | null} */
    this.ws = null;
    this.attempt = 0;
    this.downSince = 0;
    this.stalledSince = 0;
    this.dropped = 0; // messages of audio dropped (down, or too much unsent)
    this.retryTimer = null;
  }

  connect() {
    if (this.state === "closed") return;
    this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    const ws = this.open(this.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    this.stalledSince = 0;
    ws.addEventListener("open", () => {
      if (ws !== this.ws) return;
      this.attempt = 0;
      this.downSince = 0;
      this.set("open");
    });
    ws.addEventListener("close", (event) => this.closed(ws, event.code));
  }

  /** @param {SocketLike} ws @param {number} code */
  closed(ws, code) {
    if (ws !== this.ws || this.state === "closed") return;
    this.ws = null;
    if (FINAL_CLOSE_CODES.has(code)) {
      this.state = "closed";
      this.onState("closed", code);
      return;
    }
    if (!this.downSince) this.downSince = this.now();
    const delay = reconnectDelay(this.attempt, this.now() - this.downSince, this.random);
    this.attempt += 1;
    this.set("down", code);
    this.clearTimer(this.retryTimer);
    this.retryTimer = this.setTimer(() => this.connect(), delay);
  }

  /** @param {LinkState} state @param {number} [code] */
  set(state, code) {
    const changed = state !== this.state;
    this.state = state;
    if (changed) this.onState(state, code);
  }

  get isOpen() {
    return !!this.ws && this.ws.readyState === OPEN && this.state === "open";
  }

  /**
   * One message of audio; false when it was dropped.
   * @param {ArrayBuffer} data
   */
  send(data) {
    const ws = this.ws;
    if (!ws || !this.isOpen) {
      this.dropped += 1;
      return false;
    }
    if (ws.bufferedAmount > MAX_BUFFERED) {
      this.dropped += 1;
      if (!this.stalledSince) this.stalledSince = this.now();
      else if (this.now() - this.stalledSince > STALL_MS) this.abandon(ws);
      return false;
    }
    this.stalledSince = 0;
    ws.send(data);
    return true;
  }

  /** Give up on a socket at once (its close event may take minutes on a dead path). */
  abandon(ws) {
    try { ws.close(4000); } catch { /* already closing */ }
    this.closed(ws, 4000);
  }

  /** Down and waiting for the next attempt: try now (the server answers again). */
  reconnectNow() {
    if (this.state !== "down" || (this.ws && this.ws.readyState < CLOSING)) return;
    this.connect();
  }

  /** For good (captions stopped, or the page goes). */
  close() {
    if (this.state === "closed") return;
    this.state = "closed";
    this.clearTimer(this.retryTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState < CLOSING) ws.close(1000);
  }
}
