// Tells the server that the person at this staff page is still there, so the idle timeout
// counts real inactivity: a click or key press in the last interval (on the call page: the page
// being visible, since a conversation needs no clicks). No activity, no ping.
const script = document.querySelector("script[data-activity-url]");
const INTERVAL_MS = 4 * 60 * 1000;
let active = false;

if (script) {
  const always = script.hasAttribute("data-activity-always");
  for (const kind of ["pointerdown", "keydown", "touchstart"]) {
    window.addEventListener(kind, () => { active = true; }, { passive: true, capture: true });
  }
  setInterval(() => {
    if (!(active || (always && document.visibilityState === "visible"))) return;
    active = false;
    fetch(script.dataset.activityUrl, { credentials: "same-origin", cache: "no-store" }).catch(() => {});
  }, INTERVAL_MS);
}
