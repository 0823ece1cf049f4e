// Tells the server that the person at this staff page is still there, so the idle timeout
// counts real inactivity: a click or key press in the last interval (on the call page: the page
// being visible, since a conversation needs no clicks). No activity, no ping.
// `mount(config)` (activity-entry.js reads the config from its script tag).
const INTERVAL_MS = 4 * 60 * 1000;

/**
 * @param {object} config
 * @param {string} config.url the activity endpoint
 * @param {boolean} [config.always] a visible page counts as activity (the call page)
 */
export function mount({ url, always = false }) {
  let active = false;
  for (const kind of ["pointerdown", "keydown", "touchstart"]) {
    window.addEventListener(kind, () => { active = true; }, { passive: true, capture: true });
  }
  setInterval(() => {
    if (!(active || (always && document.visibilityState === "visible"))) return;
    active = false;
    fetch(url, { credentials: "same-origin", cache: "no-store" }).catch(() => {});
  }, INTERVAL_MS);
}
