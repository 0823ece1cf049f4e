// The room socket: JSON frames (docs/protocol.md), automatic reconnect, keep-alive pings.

const PING_MS = 20000;
const FINAL_CLOSE_CODES = new Set([4401, 4403, 4409, 4410, 4429]);

export class RoomSocket extends EventTarget {
  constructor(path) {
    super();
    this.url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`;
    this.attempt = 0;
    this.closedForGood = false;
    this.ws = null;
    this.pingTimer = null;
    this.onOnline = () => this.reconnectNow();
    window.addEventListener("online", this.onOnline);
  }

  connect() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.attempt = 0;
      this.pingTimer = setInterval(() => this.send("ping"), PING_MS);
      this.emit("open", {});
    });
    ws.addEventListener("message", (event) => this.receive(event.data));
    ws.addEventListener("close", (event) => this.closed(ws, event));
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

  closed(ws, event) {
    clearInterval(this.pingTimer);
    if (ws !== this.ws) return;
    if (this.closedForGood || FINAL_CLOSE_CODES.has(event.code) || event.code === 1000) {
      this.closedForGood = true;
      this.emit("final-close", { code: event.code });
      return;
    }
    this.emit("reconnecting", { code: event.code });
    const delay = Math.min(8000, 500 * 2 ** this.attempt) + Math.random() * 300;
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.closedForGood || !this.ws || this.ws.readyState === WebSocket.OPEN) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  send(type, payload = {}) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify({ v: 1, type, ...payload }));
    return true;
  }

  close() {
    this.closedForGood = true;
    window.removeEventListener("online", this.onOnline);
    if (this.ws) this.ws.close(1000);
  }

  on(type, handler) {
    this.addEventListener(type, (event) => handler(event.detail));
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
