// The questionnaire in the call (docs/protocol.md, "Questionnaire (live form)"): `mount(config)`.
//
// Resident: a sheet over (phone) or beside (wide screen) the video. Every change is saved at once
// as `form-answer` with the field's version as `base`. Then a review of the answers and a finger
// signature. Staff: a read-only live view in the staff panel, with internal notes.
//
// call-page.js imports this module only when the first `form-state` arrives; builder-preview.js
// feeds it the builder's definition. The parts:
// - form-model.js      the model: versions and pending writes per field, visibility rules
// - form-transport.js  the writes on the socket: refs, pipelining, resend after a reconnect
// - form-view.js       the resident's sheet in the DOM (form-questions.js: one question's controls)
// - form-sign.js       review and signature; form-speech.js: read aloud
// - form-staff.js      the caseworker's view
// This module ties the resident's parts together: frames in, the resident's edits out.
import { findQuestion, isEmpty } from "./form-model.js";
import { FormTransport } from "./form-transport.js";
import { SheetView } from "./form-view.js";
import { Signing } from "./form-sign.js";
import { ReadAloud } from "./form-speech.js";
import { StaffView } from "./form-staff.js";

export { StaffView };

/** @typedef {import("./form-transport.js").FrameSocket} FrameSocket */

export class ResidentForm {
  /**
   * @param {object} options
   * @param {FrameSocket} options.socket the room socket (or the builder preview's stand-in)
   * @param {Record<string, string>} options.strings the page's strings
   * @param {HTMLElement} options.stage the call's stage
   * @param {string} [options.visitId] for the server's read-aloud audio
   */
  constructor({ socket, strings, stage, visitId }) {
    this.S = strings;
    this.pageLanguage = document.documentElement.lang || "nl";
    /** @type {any} the questionnaire definition (questionnaires/schema) */
    this.definition = null;
    /** @type {{questionnaire?: string, template?: string, version?: number}} */
    this.meta = {};
    this.language = "nl";
    /** @type {{sha256: string, signedAt: string} | null} */
    this.signed = null;
    this.edited = false;
    this.justOpened = false;
    this.writes = new FormTransport({
      socket, locked: () => !!this.signed, onUpdate: () => this.sheet.updateSaved(),
    });
    this.sheet = new SheetView(this, stage);
    this.signing = new Signing(this);
    this.speech = new ReadAloud({
      visitId, root: this.sheet.root, language: () => this.language, words: () => this.words(),
    });
    this.speech.start();
  }

  get fields() {
    return this.writes.fields;
  }

  /** Fixed words in the questionnaire language (else the page's), e.g. "yes", "Read aloud". */
  words(language = this.language) {
    const S = this.S;
    const word = (/** @type {string} */ key, /** @type {string} */ fallback) =>
      S[`fw.${language}.${key}`] ?? S[`fw.${this.pageLanguage}.${key}`] ?? fallback;
    return {
      yes: word("yes", S.formYes), no: word("no", S.formNo), required: word("required", ""),
      readAloud: word("readAloud", ""), stopReading: word("stopReading", ""),
      noVoice: word("noVoice", ""),
      photo: word("photo", ""), notAnswered: word("notAnswered", ""),
    };
  }

  /** The resident chose another questionnaire language. @param {string} language */
  chooseLanguage(language) {
    this.writes.send("form-language", { language });
  }

  // Frames -----------------------------------------------------------------------------------

  /** @param {any} frame */
  handle(frame) {
    switch (frame.type) {
      case "form-opened": this.justOpened = true; break;
      case "form-state": this.onState(frame); break;
      case "form-answer": this.onAnswer(frame); break;
      case "form-rejected": this.onRejected(frame); break;
      case "form-language": this.onLanguage(frame.language); break;
      case "form-incomplete": this.onIncomplete(frame.missing || []); break;
      case "form-signed": this.onSigned(frame); break;
      case "form-reopened": this.onReopened(); break;
      case "read-aloud":
        this.speech.requested(frame.question, this.definition && findQuestion(this.definition, frame.question));
        break;
      default: break;
    }
  }

  /** An `error` frame; true when it belonged to the questionnaire. @param {any} frame */
  handleError(frame) {
    const id = this.writes.failed(frame.ref);
    if (id !== null) {
      if (frame.code === "form_locked") this.sheet.setNotice(this.S.formLocked);
      else this.sheet.showError(id, "other");
      this.sheet.updateSaved();
      return true;
    }
    const pending = this.signing.pending;
    if (pending && frame.ref === pending.ref) {
      this.signing.failed(frame.code === "form_locked" ? this.S.formLocked : this.S.formSignFailed);
      return true;
    }
    return frame.code === "form_locked" || frame.code === "no_form";
  }

  /** @param {any} frame */
  onState(frame) {
    const fresh = !this.definition || frame.questionnaire !== this.meta.questionnaire
      || frame.template !== this.meta.template || frame.version !== this.meta.version;
    this.meta = { questionnaire: frame.questionnaire, template: frame.template, version: frame.version };
    this.definition = frame.definition;
    this.language = frame.language;
    this.signed = frame.signed || null;
    if (fresh) this.writes.reset(this.definition);
    const resend = this.writes.snapshot(frame.answers, { signed: !!this.signed });
    if (this.signed && this.sheet.view !== "form") this.signing.leave();
    this.sheet.render();
    this.writes.resend(resend);
    if (this.justOpened) {
      this.justOpened = false;
      this.sheet.setCollapsed(false);
      this.sheet.setNotice(this.S.formOpened);
      this.sheet.title.focus({ preventScroll: true });
    }
  }

  /** @param {any} frame */
  onAnswer(frame) {
    const out = this.writes.answer(frame);
    if (!out) return;
    const { field } = out;
    if (out.confirmed && !field.dirty && !field.timer) this.sheet.showError(frame.question, null);
    if (out.replaced) {
      this.sheet.writeControl(field);
      this.sheet.applyVisibility();
    }
    if (out.resend) this.writes.flush(frame.question);
    this.sheet.updateSaved();
  }

  /** @param {any} frame */
  onRejected(frame) {
    const out = this.writes.rejected(frame);
    if (!out) return;
    if (out.error) this.sheet.showError(frame.question, out.error);
    if (out.replaced) {
      this.sheet.writeControl(out.field); // someone else's write wins (the page had nothing new)
      this.sheet.applyVisibility();
    }
    if (out.resend) this.writes.flush(frame.question);
    this.sheet.updateSaved();
  }

  /** @param {string} language */
  onLanguage(language) {
    if (!language || language === this.language) return;
    this.language = language;
    this.speech.stop();
    this.sheet.render();
  }

  /** @param {string[]} missing */
  onIncomplete(missing) {
    const sheet = this.sheet;
    this.signing.leave();
    sheet.setView("form", { focus: false });
    for (const id of missing) sheet.showError(id, "required");
    sheet.setNotice(this.S.formIncomplete, "alert");
    sheet.focusQuestion(missing[0]);
  }

  /** @param {any} frame */
  onSigned(frame) {
    this.signed = { sha256: frame.sha256, signedAt: frame.signedAt };
    this.signing.leave();
    this.sheet.setNotice("");
    this.sheet.view = "form";
    this.sheet.render();
    this.sheet.body.scrollTop = 0;
    this.sheet.signedBox.querySelector("h3")?.focus({ preventScroll: true });
  }

  onReopened() {
    this.signed = null;
    this.sheet.render();
    this.sheet.setNotice(this.S.formReopened);
  }

  // The resident's edits ---------------------------------------------------------------------

  /** @param {any} q */
  onTyping(q) {
    const field = this.fields.get(q.id);
    if (!field) return;
    const value = this.sheet.readControl(field);
    if (q.type === "number" && Number.isNaN(value)) {
      this.writes.hold(q.id); // half-typed ("12,"): wait; the blur says what is wrong
      return;
    }
    this.change(q.id, value, true);
  }

  /** @param {any} q */
  onBlur(q) {
    const field = this.fields.get(q.id);
    if (!field || this.signed) return;
    if (q.type === "number" && Number.isNaN(this.sheet.readControl(field))) {
      this.sheet.showError(q.id, "number");
      return;
    }
    this.writes.flush(q.id);
  }

  /**
   * @param {string} id the question
   * @param {any} value
   * @param {boolean} typing a text field being typed in: saved on the next tick
   */
  change(id, value, typing) {
    const field = this.fields.get(id);
    if (!field || this.signed) return;
    this.writes.edit(id, value, typing); // now, or (typing) on the next tick
    this.edited = true;
    if (field.error) this.sheet.showError(id, null);
    if (this.sheet.notice.textContent) this.sheet.setNotice("");
    this.sheet.applyVisibility();
    this.sheet.updateSaved();
  }

  // For tests and support: what the page holds ------------------------------------------------

  state() {
    /** @type {Record<string, {value: any, version: number, saved: boolean}>} */
    const answers = {};
    for (const [id, field] of this.fields) {
      if (!field.version && isEmpty(field.value)) continue;
      answers[id] = { value: field.value, version: field.version, saved: field.saved };
    }
    return JSON.parse(JSON.stringify({
      role: "resident", ...this.meta, language: this.language, signed: this.signed,
      view: this.sheet.view, collapsed: this.sheet.collapsed, answers,
    }));
  }
}

/**
 * The questionnaire for this page: the resident's sheet, the caseworker's view, or nothing.
 * @param {object} config
 * @param {string | null} config.role "resident", "staff" or another (nothing then)
 * @param {FrameSocket} config.socket
 * @param {Record<string, string>} config.strings
 * @param {HTMLElement} [config.stage] the call's stage (resident)
 * @param {HTMLElement | null} [config.panel] the staff panel's questionnaire box (staff)
 * @param {string} [config.visitId]
 * @param {() => any} [config.residentPeer] the resident's peer id, for `read-aloud` (staff)
 * @returns {ResidentForm | StaffView | null}
 */
export function mount({ role, socket, strings, stage, panel, visitId, residentPeer }) {
  if (role === "resident" && stage) return new ResidentForm({ socket, strings, stage, visitId });
  if (role === "staff" && panel) return new StaffView({ socket, strings, panel, residentPeer });
  return null;
}

/** The name call-page.js and builder-preview.js have always used. */
export const mountForm = mount;
