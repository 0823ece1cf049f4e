// Live captions (language app; docs/protocol.md "Live captions"). Everyone in the call is asked
// first; only when all agree does each page send its own microphone to the captions socket
// (caption-audio.js: Opus, or 16 kHz PCM without WebCodecs). Caption lines come back over the
// room socket. Anyone can stop them. The room socket reaches this module through the
// "vc:room-socket" event. A dropped socket or a restarted server: the captions socket reconnects
// by itself, the room socket's "captions-state" restarts a sender that the server closed, and the
// box says so while either socket is down. Consent lives on the server (the caption session), so
// it is not asked again after a reconnect. `mount(config)` (language-entry.js, with the page's
// "vc-language-config").

import { startCaptionAudio } from "./caption-audio.js";

const ROLE = {
  caseworker: "roleCaseworker", resident: "roleResident", interpreter: "roleInterpreter",
  family: "roleFamily", colleague: "roleColleague",
};
const RTL = new Set(["ar", "fa"]);
const KEEP_LINES = 3;

/**
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...any} children
 * @returns {any}
 */
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

class Captions {
  /**
   * @param {any} config the language app's call config
   * @param {{send(type: string, payload?: object): boolean, on(type: string, handler: (frame: any) => void): void}} socket
   * @param {HTMLElement} box
   * @param {boolean} isStaff
   */
  constructor(config, socket, box, isStaff) {
    this.config = config;
    this.S = config.captionStrings || {};
    this.socket = socket;
    this.box = box;
    this.isStaff = isStaff;
    this.me = null;
    this.state = { state: "off" };
    this.answered = null; // the session this page answered
    this.language = this.config.pageLanguage;
    this.lines = new Map(); // line id → element
    this.mic = null;
    this.busy = false; // the server sheds load ("captions-status")
    this.roomDown = false; // the room socket reconnects: no lines arrive
    this.linkDown = false; // the captions socket reconnects: this microphone is not heard
    this.build();
    socket.on("welcome", (frame) => {
      this.me = frame.self?.participantId;
      this.roomDown = false;
      this.renderPaused();
    });
    socket.on("reconnecting", () => {
      this.roomDown = true;
      this.renderPaused();
    });
    socket.on("captions-state", (frame) => this.onState(frame));
    socket.on("caption", (frame) => this.onCaption(frame));
    socket.on("captions-status", (frame) => {
      this.busy = !!frame.paused;
      this.renderPaused();
    });
    socket.on("error", (frame) => {
      if (frame.code === "captions_unavailable") this.status.textContent = frame.message;
    });
  }

  build() {
    const languages = this.config.captionLanguages || [];
    this.select = h("select", {
      id: `vc-cap-language-${this.isStaff ? "s" : "r"}`,
      onchange: () => {
        this.language = this.select.value;
        this.rerender();
        if (this.state.state !== "off" && this.answered) this.socket.send("captions-language", { language: this.language });
      },
    }, ...languages.map((l) => h("option", { value: l.code, text: l.name, selected: l.code === this.language })));
    this.consent = h("div", { class: "captions__ask", role: "group", "aria-labelledby": "vc-cap-ask", hidden: true },
      h("p", { id: "vc-cap-ask", class: "captions__question", text: this.S.capAsk }),
      this.keepNote = h("p", { class: "captions__keep muted" }),
      h("button", { type: "button", class: "button button--primary", text: this.S.capAgree, onclick: () => this.answer(true) }),
      h("button", { type: "button", class: "button button--secondary", text: this.S.capDecline, onclick: () => this.answer(false) }));
    this.status = h("p", { class: "captions__status", role: "status", "aria-live": "polite" });
    this.paused = h("p", { class: "captions__paused", role: "status", text: this.S.capPaused, hidden: true });
    this.list = h("ol", { class: "captions__lines", "aria-live": "polite", "aria-label": this.S.capTitle });
    this.stop = h("button", { type: "button", class: "button button--secondary captions__stop", text: this.S.capStop, hidden: true,
      onclick: () => this.socket.send("captions-stop") });
    const languageField = h("div", { class: "field captions__language" },
      h("label", { for: this.select.id, text: this.S.capLanguage }), this.select);
    const parts = [this.consent, this.status, this.paused, this.list, languageField, this.stop];
    if (this.isStaff) {
      const staffS = this.config.strings || {};
      this.start = h("button", { type: "button", class: "button button--secondary button--block", text: staffS.capStart,
        disabled: !this.config.captionsAvailable,
        onclick: () => this.socket.send("captions-request", { language: this.language }) });
      const note = this.config.captionsAvailable ? null
        : h("p", { class: "muted", text: (staffS.capUnavailable || "").replace("{reason}", this.config.captionsUnavailable) });
      parts.unshift(this.start, note);
    }
    this.box.append(...parts.filter(Boolean));
  }

  onState(frame) {
    const previous = this.state.state;
    this.state = frame;
    const on = frame.state === "on";
    const asking = frame.state === "asking";
    const mine = this.me && frame.waiting?.includes(this.me) && this.answered !== frame.session;
    this.consent.hidden = !mine;
    this.keepNote.textContent = frame.transcript ? this.S.capAskKeep : this.S.capAskNotKept;
    this.stop.hidden = !(on || asking);
    if (this.start) this.start.hidden = on || asking;
    this.box.hidden = false;
    if (mine && previous !== "asking") this.consent.querySelector("button")?.focus({ preventScroll: true });
    if (asking && !mine) this.status.textContent = this.S.capWaiting;
    else if (on) this.status.textContent = this.S.capOn;
    else if (frame.state === "off") {
      this.status.textContent = frame.reason === "declined" ? this.S.capDeclined : frame.reason ? this.S.capStopped : this.S.capOff;
      this.busy = false;
      this.answered = null;
    }
    const agreed = this.me && frame.agreed?.includes(this.me);
    if (on && agreed) this.startMic();
    else this.stopMic();
    this.renderPaused();
  }

  /** "Paused" while the server is busy, or reconnecting while a socket is down (captions on). */
  renderPaused() {
    const down = this.roomDown || (this.linkDown && !!this.mic);
    this.paused.textContent = down ? this.S.capReconnecting || this.S.capPaused : this.S.capPaused;
    this.paused.hidden = !(this.state.state === "on" && (down || this.busy));
  }

  answer(accept) {
    this.answered = this.state.session;
    this.consent.hidden = true;
    this.socket.send("captions-consent", { session: this.state.session, accept, language: this.language });
  }

  // Lines -----------------------------------------------------------------------------------

  onCaption(frame) {
    let item = this.lines.get(frame.line);
    if (!item) {
      item = h("li", { class: "captions__line" });
      this.lines.set(frame.line, item);
      this.list.append(item);
      while (this.lines.size > KEEP_LINES) {
        const [first, node] = this.lines.entries().next().value;
        node.remove();
        this.lines.delete(first);
      }
    }
    item.frame = frame;
    this.renderLine(item);
  }

  rerender() {
    for (const item of this.lines.values()) this.renderLine(item);
  }

  renderLine(item) {
    const frame = item.frame;
    const translated = frame.translations?.[this.language];
    const text = frame.language === this.language ? frame.text : translated ? translated.text : frame.text;
    const language = translated && frame.language !== this.language ? this.language : frame.language;
    const note = frame.language === this.language ? null
      : translated ? this.S.capMachine : frame.final ? this.S.capNoTranslation : null;
    item.className = `captions__line${frame.final ? "" : " captions__line--partial"}`;
    const parts = [
      h("span", { class: "captions__role", text: `${this.S[ROLE[frame.role]] || frame.role}: ` }),
      h("span", { class: "captions__text", lang: language, dir: RTL.has(language) ? "rtl" : "ltr", text }),
    ];
    if (note) parts.push(h("span", { class: "captions__note", text: ` (${note})` }));
    item.replaceChildren(...parts);
  }

  // Microphone → captions socket --------------------------------------------------------------

  startMic() {
    if (this.mic && !this.mic.closed && !this.mic.sender?.stopped) {
      this.mic.sender?.link?.reconnectNow(); // the room socket is back, so is the server
      return;
    }
    // None yet, or the server closed it (captions were off for this page for a moment): anew.
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${this.config.captionsWsPath}`;
    /** @type {{pending: Promise<any> | null, sender: any, closed: boolean}} */
    const mic = { pending: null, sender: null, closed: false };
    this.mic = mic;
    this.linkDown = false;
    mic.pending = startCaptionAudio({
      url,
      muted: () => document.getElementById("vc-mute")?.getAttribute("aria-pressed") === "true",
      onFail: () => {
        this.status.textContent = this.S.capNoMic;
        if (this.mic === mic) this.mic = null;
      },
      onLink: (state) => {
        if (this.mic !== mic) return;
        mic.closed = state === "closed"; // for good: the sender released the microphone
        this.linkDown = state === "down";
        this.renderPaused();
      },
    });
    mic.pending.then((sender) => {
      if (this.mic !== mic) sender.stop(); // stopped while it was starting
      else mic.sender = sender;
    });
  }

  stopMic() {
    const mic = this.mic;
    if (!mic) return;
    this.mic = null;
    this.linkDown = false;
    if (mic.sender) mic.sender.stop();
  }
}

/** @param {any} config the language app's call config (language/templatetags), or null */
export function mount(config) {
  document.addEventListener("vc:room-socket", (event) => {
    if (!config) return;
    const { socket, isStaff } = /** @type {CustomEvent} */ (event).detail;
    const box = document.getElementById(isStaff ? "vc-captions-staff" : "vc-captions");
    if (box) window.vcCaptions = new Captions(config, socket, box, isStaff);
  });
}
