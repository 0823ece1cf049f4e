// Reports this page's script errors to the server (portal/client_errors.py): the kind, the
// message, the file name and line, and the visit id from the address — nothing a person typed.
// At most a few per page; the server rate-limits as well.

const ENDPOINT = "/client-errors";
const MAX_REPORTS = 5;
let sent = 0;

export function visitIdFrom(path) {
  const match = /\/(?:v|visits)\/([0-9a-f-]{36})\//i.exec(path);
  return match ? match[1] : null;
}

export function reportFor(kind, message, source, line, path) {
  return {
    kind,
    message: String(message || "").slice(0, 300),
    source: String(source || "").split("?")[0].split("/").pop().slice(0, 80),
    line: Number.isInteger(line) ? line : null,
    visit: visitIdFrom(path),
  };
}

function send(report) {
  if (sent >= MAX_REPORTS) return;
  sent += 1;
  fetch(ENDPOINT, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(report),
    credentials: "same-origin",
    keepalive: true,
  }).catch(() => {});
}

export function mount(win = window) {
  win.addEventListener("error", (event) => {
    send(reportFor("error", event.message, event.filename, event.lineno, win.location.pathname));
  });
  win.addEventListener("unhandledrejection", (event) => {
    const reason = event.reason && event.reason.message ? event.reason.message : event.reason;
    send(reportFor("unhandledrejection", reason, "", null, win.location.pathname));
  });
}
