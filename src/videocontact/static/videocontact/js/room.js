// The room socket: JSON frames (docs/protocol.md), automatic reconnect, keep-alive pings.
// A reconnecting socket presents its resume secret (issued in `welcome`, kept in sessionStorage
// for this tab) as a WebSocket subprotocol, so it gets its old peer id back and the calls carry on
// without renegotiation. The secret is not in the URL, so it stays out of access logs.
import { reconnectDelay } from "./backoff.js";

const PING_MS = 10000;
// No frame at all for this long after a ping: the path is dead even if TCP has not noticed.
const PONG_TIMEOUT_MS = 6000;
const FINAL_CLOSE_CODES = new Set([4401, 4403, 4409, 4410, 4429]);
const PROTOCOL = "vc.v1";

export class RoomSocket extends EventTarget {
  constructor(path, { storageKey = `vc-resume:${path}` } = {}) {
    super();
    this.url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
    this.storageKey = storageKey;
    this.attempt = 0;
    this.downSince = 0;
    this.closedForGood = false;
    this.ws = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.onOnline = () => this.reconnectNow();
    window.addEventListener("online", this.onOnline);
    this.on("welcome", (frame) => {
      if (typeof frame.resume === "string") this.storeResume(frame.resume);
    });
  }

  storeResume(secret) {
    try {
      sessionStorage.setItem(this.storageKey, secret);
    } catch {
      /* private mode: a reconnect then gets a new peer id (and renegotiates) */
    }
  }

  resumeSecret() {
    try {
      const secret = sessionStorage.getItem(this.storageKey);
      return secret && /^[A-Za-z0-9_-]{20,100}$/.test(secret) ? secret : null;
    } catch {
      return null;
    }
  }

  connect() {
    const secret = this.resumeSecret();
    const protocols = secret ? [PROTOCOL, `vc.resume.${secret}`] : [PROTOCOL];
    const ws = new WebSocket(this.url, protocols);
    this.ws = ws;
    ws.addEventListener("open", () => {
      if (ws !== this.ws) return;
      this.attempt = 0;
      this.downSince = 0;
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.ping(ws), PING_MS);
      this.emit("open", {});
    });
    ws.addEventListener("message", (event) => {
      if (ws !== this.ws) return;
      clearTimeout(this.pongTimer);
      this.receive(event.data);
    });
    ws.addEventListener("close", (event) => this.closed(ws, event.code));
  }

  ping(ws) {
    if (!this.send("ping")) return;
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => {
      // Give up on this socket at once (its close event may take minutes on a dead path).
      try { ws.close(4000); } catch { /* already closing */ }
      this.closed(ws, 4000);
    }, PONG_TIMEOUT_MS);
  }

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame && typeof frame.type === "string") this.emit(frame.type, frame);
  }

  closed(ws, code) {
    if (ws !== this.ws) return;
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.ws = null;
    if (this.closedForGood || FINAL_CLOSE_CODES.has(code) || code === 1000) {
      this.closedForGood = true;
      this.emit("final-close", { code });
      return;
    }
    if (!this.downSince) this.downSince = Date.now();
    this.emit("reconnecting", { code });
    const delay = reconnectDelay(this.attempt, Date.now() - this.downSince);
    this.attempt += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.closedForGood) return;
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) return; // open or still connecting
    clearTimeout(this.retryTimer);
    this.connect();
  }

  get isOpen() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  send(type, payload = {}) {
    if (!this.isOpen) return false;
    this.ws.send(JSON.stringify({ v: 1, type, ...payload }));
    return true;
  }

  close() {
    this.closedForGood = true;
    window.removeEventListener("online", this.onOnline);
    if (this.ws) this.ws.close(1000);
  }

  on(type, handler) {
    this.addEventListener(type, (event) => handler(/** @type {CustomEvent} */ (event).detail));
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
