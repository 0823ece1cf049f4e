// When to restart ICE on a peer connection. Pure: no DOM, no timers (the mesh holds those).
//
// Chromium moves `connectionState` to "failed" about 16 s into an outage while
// `iceConnectionState` stays "disconnected", so both are watched. A connection that is
// "disconnected" gets a short grace (it often recovers by itself: a Wi-Fi blip); "failed" is
// restarted at once. While the path stays down the restart is repeated every second (one small
// offer/answer; Chromium does not retry failed candidate pairs by itself), so a restored path is
// found again within about two seconds.

export const GRACE_MS = 1000;
export const FIRST_RETRY_MS = 1000;
export const MAX_RETRY_MS = 1000;

// One state from the two the browser reports.
export function combinedState(connectionState, iceConnectionState) {
  const states = [connectionState, iceConnectionState];
  if (states.includes("closed")) return "closed";
  if (states.includes("failed")) return "failed";
  if (states.includes("disconnected")) return "disconnected";
  if (connectionState === "connected" || ["connected", "completed"].includes(iceConnectionState)) {
    return connectionState === "connecting" ? "checking" : "connected";
  }
  return iceConnectionState === "checking" || connectionState === "connecting" ? "checking" : "new";
}

export function retryDelay(attempt) {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
}

export class RecoveryPolicy {
  constructor() {
    this.downSince = null; // when the connection was last seen going down (null: it is up)
    this.attempts = 0; // ICE restarts since then
    this.lastRestart = null;
  }

  get recovering() {
    return this.downSince !== null;
  }

  // The connection is in `state` at time `now` (ms). Returns how long to wait before the next
  // restart (0: now), or null when no restart is due.
  update(state, now) {
    if (state === "connected") {
      this.downSince = null;
      this.attempts = 0;
      this.lastRestart = null;
      return null;
    }
    if (state === "closed" || (state === "new" && !this.recovering)) return null;
    if (state === "checking" && !this.recovering) return null; // the first connection
    if (this.downSince === null) this.downSince = now;
    if (this.attempts === 0) {
      const due = state === "failed" ? now : this.downSince + GRACE_MS;
      return Math.max(0, due - now);
    }
    return Math.max(0, this.lastRestart + retryDelay(this.attempts) - now);
  }

  // Something outside says the path may have changed (the socket came back, the network
  // changed): for a connection that is not up, restart now.
  nudge(state, now) {
    if (state === "connected" || state === "closed") return null;
    if (state === "new" && !this.recovering) return null;
    if (this.downSince === null) this.downSince = now;
    return 0;
  }

  restarted(now) {
    this.attempts += 1;
    this.lastRestart = now;
  }
}
