// Reconnect back-off for the room socket. Pure: no DOM, no timers.
// A fast first retry (a dropped socket on a live server, or a server restart that is over in a
// moment), then doubling with jitter, capped at 1 s for the first minute — so a socket is back
// within a second of a restarted server answering — and at 5 s after that, so a long outage
// does not keep every phone busy.

export const FIRST_RETRY_MS = [100, 250];
export const BASE_MS = 250;
export const FAST_CEILING_MS = 1000;
export const FAST_PERIOD_MS = 60_000;
export const SLOW_CEILING_MS = 5000;

// The delay before reconnect attempt `attempt` (0 = the first retry after a drop), the socket
// having been down for `downForMs`. `random` returns [0, 1); injectable for tests.
export function reconnectDelay(attempt, downForMs = 0, random = Math.random) {
  if (attempt <= 0) {
    const [low, high] = FIRST_RETRY_MS;
    return low + random() * (high - low);
  }
  const cap = downForMs < FAST_PERIOD_MS ? FAST_CEILING_MS : SLOW_CEILING_MS;
  const ceiling = Math.min(cap, BASE_MS * 2 ** Math.min(attempt, 16));
  // "Equal jitter": never under half the ceiling, so clients spread out without a stampede.
  return ceiling / 2 + random() * (ceiling / 2);
}
