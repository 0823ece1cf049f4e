// DPIA-gated checks on the call page (checks app; docs/protocol.md "Location check").
// Resident: the caseworker's location question in the resident's language; only after "yes"
// does the browser's navigator.geolocation run, once, and the position goes to the server,
// which answers the caseworker with the distance to the registered address.
// Caseworker: the address, the button, and the result. The page is told of the room socket by
// call-page.js through the "vc:room-socket" event, like the other feature modules.

/** @type {any} the checks app's call config ("vc-checks-config"), set by mount() */
let config = null;
/** @type {Record<string, string>} */
let S = {};

function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

function fmt(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
}

const GEO_ERRORS = { 1: "denied", 2: "unavailable", 3: "timeout" };

/** The resident's side: a question, two buttons, then what happened. */
export class ResidentLocation {
  constructor(socket, box, { geolocation = navigator.geolocation } = {}) {
    this.socket = socket;
    this.box = box;
    this.geolocation = geolocation;
    this.check = null;
    this.build();
    socket.on("location-ask", (frame) => this.ask(frame));
  }

  build() {
    this.question = h("p", { id: "vc-location-question", class: "location-ask__question", text: S.locAsk });
    this.keep = h("p", { id: "vc-location-keep", class: "location-ask__keep" });
    this.actions = h("div", { class: "location-ask__actions" },
      h("button", { type: "button", class: "button button--primary", text: S.locYes, onclick: () => this.answer(true) }),
      h("button", { type: "button", class: "button button--secondary", text: S.locNo, onclick: () => this.answer(false) }));
    this.status = h("p", { class: "location-ask__status", role: "status", "aria-live": "polite" });
    this.dialog = h("div", { class: "location-ask__dialog", role: "alertdialog", "aria-modal": "false",
      "aria-labelledby": "vc-location-title", "aria-describedby": "vc-location-question vc-location-keep" },
    h("h2", { id: "vc-location-title", class: "location-ask__title", text: S.locTitle }),
    this.question, this.keep, h("p", { class: "location-ask__voluntary", text: S.locVoluntary }), this.actions);
    this.dialog.hidden = true;
    this.box.append(this.dialog, this.status);
  }

  ask(frame) {
    this.check = frame.check;
    this.keep.textContent = frame.keep ? S.locKeepYes : S.locKeepNo;
    this.status.textContent = "";
    this.dialog.hidden = false;
    this.box.hidden = false;
    this.dialog.querySelector("button")?.focus();
  }

  answer(consent) {
    const check = this.check;
    if (!check) return;
    this.check = null;
    this.dialog.hidden = true;
    if (!consent) {
      this.socket.send("location-answer", { check, consent: false });
      this.done(S.locDeclined);
      return;
    }
    if (!this.geolocation) {
      this.socket.send("location-answer", { check, consent: true, error: "unsupported" });
      this.done(S.locUnavailable);
      return;
    }
    this.status.textContent = S.locSharing;
    this.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude, accuracy } = position.coords;
        this.socket.send("location-answer", {
          check, consent: true, position: { lat: latitude, lon: longitude, accuracy: accuracy ?? 0 },
        });
        this.done(S.locShared);
      },
      (error) => {
        this.socket.send("location-answer", { check, consent: true, error: GEO_ERRORS[error.code] || "unavailable" });
        this.done(S.locUnavailable);
      },
      { enableHighAccuracy: true, timeout: 30000, maximumAge: 0 },
    );
  }

  done(text) {
    this.status.textContent = text;
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => {
      if (!this.check) this.box.hidden = true;
    }, 10000);
  }
}

/** The caseworker's side: the registered address, "ask", and the outcome. */
export class StaffLocation {
  constructor(socket, panel) {
    this.socket = socket;
    this.panel = panel;
    this.counter = 0;
    this.build();
    socket.on("location-state", (frame) => this.onState(frame));
    socket.on("error", (frame) => {
      if (typeof frame.ref === "string" && frame.ref.startsWith("loc-")) this.onRefused(frame);
    });
  }

  build() {
    this.address = h("input", { id: "vc-location-address", name: "address", autocomplete: "off", maxlength: "200" });
    this.button = h("button", { type: "button", class: "button button--secondary", text: S.locAskButton,
      onclick: () => this.ask() });
    this.status = h("p", { class: "location-staff__status", role: "status", "aria-live": "polite" });
    this.result = h("p", { class: "location-staff__result" });
    this.panel.append(
      h("p", { class: "muted", text: config.keep ? S.locNoteKeep : S.locNote }),
      h("div", { class: "field" }, h("label", { for: this.address.id, text: S.locAddress }), this.address),
      this.button, this.status, this.result);
  }

  ask() {
    const address = this.address.value.trim();
    if (!address) {
      this.status.textContent = S["locRefused.invalid_address"];
      this.address.focus();
      return;
    }
    this.counter += 1;
    this.result.textContent = "";
    this.socket.send("location-ask", { address, ref: `loc-${this.counter}` });
  }

  onRefused(frame) {
    this.status.textContent = S[`locRefused.${frame.code}`] || fmt(S["locRefused.other"], { message: frame.message });
  }

  onState(frame) {
    if (frame.state === "asked") {
      this.status.textContent = S.locAsked;
      this.result.textContent = "";
      return;
    }
    if (frame.state === "done") {
      this.status.textContent = `${fmt(S.locResult, { distance: frame.distanceM, accuracy: frame.accuracyM })} ${S[`locOutcome.${frame.outcome}`] || ""}`.trim();
      this.result.textContent = frame.address ? fmt(S.locFound, { address: frame.address }) : "";
      return;
    }
    this.status.textContent = S[`locState.${frame.state}`] || frame.state;
  }
}

/** @param {any} pageConfig the checks app's call config, or null when the module is off */
export function mount(pageConfig) {
  if (!pageConfig?.strings) return;
  config = pageConfig;
  S = pageConfig.strings;
  document.addEventListener("vc:room-socket", (event) => {
    const { socket } = /** @type {CustomEvent} */ (event).detail;
    if (config.isStaff) {
      const panel = document.getElementById("vc-location-staff");
      if (panel) new StaffLocation(socket, panel);
    } else {
      const box = document.getElementById("vc-location");
      if (box) new ResidentLocation(socket, box);
    }
  }, { once: true });
}
