// While a report is being made, the reports panel on the caseworker's visit page refreshes
// itself (the page's own HTML, fetched again; only the panel is replaced). No inline script.
// `mount()` (reports-panel-entry.js).
const POLL_MS = 3000;

function building() {
  return document.querySelector("#reports .report-state--building");
}

async function refresh() {
  try {
    const response = await fetch(window.location.pathname, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (response.ok) {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("reports");
      const current = document.getElementById("reports");
      if (fresh && current) {
        current.replaceWith(document.importNode(fresh, true));
      }
    }
  } catch {
    // A network hiccup: try again on the next round.
  }
  if (building()) {
    window.setTimeout(refresh, POLL_MS);
  }
}

export function mount() {
  if (building()) {
    window.setTimeout(refresh, POLL_MS);
  }
}
