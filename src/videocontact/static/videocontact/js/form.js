// The questionnaire in the call (docs/protocol.md, "Questionnaire (live form)").
//
// Resident: a sheet over (phone) or beside (wide screen) the video. Every change is saved at once
// as `form-answer` with the field's version as `base`; at most one write per field is under way,
// later changes wait for its answer (so writes of one tab never conflict with each other). Then a
// review of the answers and a finger signature (signature.js, loaded on demand).
// Staff: a read-only live view in the staff panel, with internal notes.
//
// call-page.js imports this module only when the first `form-state` arrives.
// The write model (versions, pipelined writes, rebasing at a reconnect) is form-model.js.
import { FieldWrites, isEmpty, same } from "./form-model.js";

const BCP47 = {
  nl: "nl-NL", en: "en-GB", ar: "ar", tr: "tr-TR", pl: "pl-PL", uk: "uk-UA", fa: "fa-IR", so: "so-SO",
  ti: "ti-ER",
};
const RTL_LANGUAGES = new Set(["ar", "fa"]);
const ANSWERABLE = new Set([
  "short_text", "long_text", "number", "date", "yes_no", "single_choice", "multiple_choice",
]);
const CHOICE_TYPES = new Set(["yes_no", "single_choice", "multiple_choice"]);
const DEFAULT_MAX_LENGTH = { short_text: 200, long_text: 4000 }; // as the server (answers.py)
// While typing, an answer goes out on the next tick (bursts in one tick coalesce). Never a
// debounce: continuous typing must reach the caseworker within ~100 ms. Writes are pipelined.
const TYPING_DELAY_MS = 0;
const NOTES_DELAY_MS = 600;
const HIGHLIGHT_MS = 2600;
const SIGN_TIMEOUT_MS = 20000;
const ERROR_STRINGS = {
  required: "formErrorRequired", type: "formErrorType", number: "formErrorNumber",
  too_long: "formErrorTooLong", too_small: "formErrorTooSmall", too_large: "formErrorTooLarge",
  date: "formErrorDate", option: "formErrorOption",
};

// Helpers ------------------------------------------------------------------------------------

/** A DOM element: h("p", {class: "x", text: "…", onclick: fn, hidden: true}, child, …). */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  return add(node, ...children);
}

/** Append children, leaving out null/undefined/false (Element.append would write "null"). */
function add(node, ...children) {
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** "{answered} of {total}" → text with the values filled in. */
function fmt(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
}

/** Like fmt, but values may be DOM nodes (e.g. a language name with its own lang attribute). */
function fmtNodes(template, values) {
  return String(template).split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const key = part.match(/^\{(\w+)\}$/)?.[1];
    return key && key in values ? values[key] : part;
  });
}

function pick(text, language) {
  if (!text) return "";
  return text[language] ?? text.nl ?? Object.values(text)[0] ?? "";
}

function questionsOf(definition) {
  return definition.sections.flatMap((section) => section.questions);
}

/** As the server decides it (definition.is_visible): the direct condition only. */
function isVisible(question, valueOf) {
  const condition = question.show_if;
  return !condition || valueOf(condition.question) === condition.equals;
}

function locale(language) {
  return `${BCP47[language] || language}-u-nu-latn`; // digits as the resident typed them
}

function optionLabel(question, value, language) {
  const option = (question.options || []).find((o) => o.value === value);
  return option ? pick(option.label, language) : String(value);
}

/** An answer as text for people: option labels, words for yes/no, local dates and numbers. */
function answerText(question, value, language, words) {
  if (isEmpty(value)) return null;
  try {
    switch (question.type) {
      case "yes_no":
        return value === true ? words.yes : value === false ? words.no : String(value);
      case "single_choice":
        return optionLabel(question, value, language);
      case "multiple_choice": {
        const labels = value.map((v) => optionLabel(question, v, language));
        return Intl.ListFormat
          ? new Intl.ListFormat(locale(language), { type: "conjunction" }).format(labels)
          : labels.join(", ");
      }
      case "date":
        return new Intl.DateTimeFormat(locale(language), { dateStyle: "long", timeZone: "UTC" })
          .format(new Date(`${value}T00:00:00Z`));
      case "number":
        return new Intl.NumberFormat(locale(language), { maximumFractionDigits: 10 }).format(value);
      default:
        return String(value);
    }
  } catch {
    return String(value);
  }
}

function dateTimeText(iso, language) {
  try {
    return new Intl.DateTimeFormat(locale(language), { dateStyle: "long", timeStyle: "short" })
      .format(new Date(iso));
  } catch {
    return iso;
  }
}

const COMMA_DECIMAL = (language) => language !== "en";

/** "1.250,50" (nl) / "1,250.50" (en) / "١٢٥٠" → a number; "" → null; anything else → NaN. */
function parseNumber(text, language) {
  let t = String(text)
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066b/g, ".")
    .replace(/[\s\u00a0\u202f'\u066c]/g, "")
    .replace(/^\u2212/, "-");
  if (t === "") return null;
  const [group, decimal] = COMMA_DECIMAL(language) ? [".", ","] : [",", "."];
  const grouped = new RegExp(`^-?\\d{1,3}(\\${group}\\d{3})+(\\${decimal}\\d+)?$`);
  if (grouped.test(t)) t = t.split(group).join("");
  t = t.replace(",", ".");
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

function numberInputText(value, language) {
  if (isEmpty(value)) return "";
  const text = String(value);
  return COMMA_DECIMAL(language) ? text.replace(".", ",") : text;
}

function languageDirection(language) {
  return RTL_LANGUAGES.has(language) ? "rtl" : "ltr";
}

// Resident -----------------------------------------------------------------------------------

export class ResidentForm {
  constructor({ socket, strings, stage, visitId }) {
    this.socket = socket;
    this.visitId = visitId;
    this.S = strings;
    this.stage = stage;
    this.pageLanguage = document.documentElement.lang || "nl";
    this.pageDirection = document.documentElement.dir || "ltr";
    this.definition = null;
    this.meta = {};
    this.language = "nl";
    this.signed = null;
    this.fields = new Map(); // question id → {question, value, server, version, inflight, dirty, timer, error}
    this.refs = new Map(); // ref of a form-answer → question id (for `error` frames)
    this.counter = 0;
    this.view = "form";
    this.collapsed = false;
    this.edited = false;
    this.offline = false;
    this.justOpened = false;
    this.pad = null;
    this.signing = null;
    this.speaking = null;
    this.speech = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
    this.voices = [];
    this.voicesSettled = false;
    this.serverVoices = new Set(); // languages the server reads aloud (language app, Opus)
    this.buildShell();
    if (this.speech) this.watchVoices();
    this.loadServerVoices();
  }

  /** The server's voices come first: they work on every phone, with or without a voice. */
  loadServerVoices() {
    if (!this.visitId) return;
    fetch("/speech/languages", { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { languages: [] }))
      .then((data) => {
        this.serverVoices = new Set(data.languages || []);
        for (const note of this.root.querySelectorAll(".form-q__speak-note")) note.hidden = true;
      })
      .catch(() => {});
  }

  /** Voices load late in some browsers; "Read aloud" shows only where a voice for the language
   * exists (until the list is known, it shows: a phone nearly always has one). */
  watchVoices() {
    const synth = window.speechSynthesis;
    const update = () => {
      this.voices = synth.getVoices() || [];
      this.voicesSettled = true;
      for (const note of this.root.querySelectorAll(".form-q__speak-note")) note.hidden = true;
    };
    this.voices = synth.getVoices() || [];
    if (this.voices.length) this.voicesSettled = true;
    synth.addEventListener?.("voiceschanged", update);
    setTimeout(update, 2500);
  }

  canSpeak(language = this.language) {
    return this.serverVoices.has(language) || this.canSpeakHere(language);
  }

  /** A voice of this phone/browser for the language. */
  canSpeakHere(language = this.language) {
    if (!this.speech) return false;
    if (!this.voices.length) return !this.voicesSettled;
    return this.voices.some((voice) => voice.lang.toLowerCase().replace("_", "-").startsWith(language));
  }

  words(language = this.language) {
    const S = this.S;
    const word = (key, fallback) => S[`fw.${language}.${key}`] ?? S[`fw.${this.pageLanguage}.${key}`] ?? fallback;
    return {
      yes: word("yes", S.formYes), no: word("no", S.formNo), required: word("required", ""),
      readAloud: word("readAloud", ""), stopReading: word("stopReading", ""),
      noVoice: word("noVoice", ""),
      photo: word("photo", ""), notAnswered: word("notAnswered", ""),
    };
  }

  // The sheet --------------------------------------------------------------------------------

  buildShell() {
    const S = this.S;
    this.toggleText = h("span", { text: S.formHide });
    this.toggle = h("button", {
      type: "button", class: "form-sheet__toggle", "aria-expanded": "true",
      "aria-controls": "vc-form-body", "data-chrome": true, onclick: () => this.setCollapsed(!this.collapsed),
    }, h("span", { class: "form-sheet__grip", "aria-hidden": "true" }), this.toggleText);
    this.savedLine = h("p", { class: "form-sheet__saved", "data-chrome": true });
    this.title = h("h2", { id: "vc-form-title", class: "form-sheet__title", tabindex: "-1" });
    this.description = h("p", { class: "form-sheet__description" });
    this.languageSelect = h("select", {
      id: "vc-form-language", class: "form-sheet__language-select",
      onchange: () => this.socket.send("form-language", { language: this.languageSelect.value }),
    });
    const languageField = h("div", { class: "form-sheet__language", "data-chrome": true },
      h("label", { for: "vc-form-language", text: S.formLanguage }), this.languageSelect);
    this.notice = h("div", { class: "form-sheet__notice", role: "status", "data-chrome": true });
    this.signedBox = h("div", { class: "form-signed", "data-chrome": true, hidden: true });
    this.questionsBox = h("div", { class: "form-questions" });
    this.reviewButton = h("button", {
      type: "button", class: "button button--primary button--block", text: S.formReview,
      onclick: () => this.startReview(),
    });
    this.formView = h("div", { class: "form-view", "data-view": "form" }, this.questionsBox,
      h("div", { class: "form-sheet__actions", "data-chrome": true }, this.reviewButton));
    this.reviewView = h("div", { class: "form-view", "data-view": "review", hidden: true });
    this.signView = h("div", { class: "form-view", "data-view": "sign", hidden: true });
    this.body = h("div", { id: "vc-form-body", class: "form-sheet__body" },
      h("div", { class: "form-sheet__head" }, this.title, this.description, languageField),
      this.notice, this.signedBox, this.formView, this.reviewView, this.signView);
    this.root = h("section", { id: "vc-form", class: "form-sheet", "aria-labelledby": "vc-form-title" },
      h("div", { class: "form-sheet__bar", "data-chrome": true }, this.toggle, this.savedLine), this.body);
    const controls = this.stage.querySelector(".controls");
    this.stage.insertBefore(this.root, controls);
    this.stage.classList.add("call__stage--form");
  }

  setCollapsed(collapsed) {
    this.collapsed = collapsed;
    this.body.hidden = collapsed;
    this.toggle.setAttribute("aria-expanded", String(!collapsed));
    this.toggleText.textContent = collapsed ? this.S.formShow : this.S.formHide;
    this.stage.classList.toggle("call__stage--form-collapsed", collapsed);
    if (collapsed) this.stopSpeaking();
  }

  /** Sheet texts (page language) inside a sheet that follows the questionnaire language. */
  applyLanguage() {
    const language = this.language;
    this.root.lang = language;
    this.root.dir = languageDirection(language);
    const other = language !== this.pageLanguage;
    for (const node of this.root.querySelectorAll("[data-chrome]")) {
      if (other) {
        node.lang = this.pageLanguage;
        node.dir = this.pageDirection;
      } else {
        node.removeAttribute("lang");
        node.removeAttribute("dir");
      }
    }
  }

  // Frames -----------------------------------------------------------------------------------

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
      case "read-aloud": this.readAloudRequested(frame.question); break;
      default: break;
    }
  }

  /** An `error` frame; true when it belonged to the questionnaire. */
  handleError(frame) {
    if (frame.ref && this.refs.has(frame.ref)) {
      const id = this.refs.get(frame.ref);
      this.refs.delete(frame.ref);
      const field = this.fields.get(id);
      if (field) field.failed(frame.ref);
      if (frame.code === "form_locked") this.setNotice(this.S.formLocked);
      else this.showError(id, "other");
      this.updateSaved();
      return true;
    }
    if (this.signing && frame.ref === this.signing.ref) {
      this.signFailed(frame.code === "form_locked" ? this.S.formLocked : this.S.formSignFailed);
      return true;
    }
    return frame.code === "form_locked" || frame.code === "no_form";
  }

  onState(frame) {
    const fresh = !this.definition || frame.questionnaire !== this.meta.questionnaire
      || frame.template !== this.meta.template || frame.version !== this.meta.version;
    this.meta = { questionnaire: frame.questionnaire, template: frame.template, version: frame.version };
    this.definition = frame.definition;
    this.language = frame.language;
    this.signed = frame.signed || null;
    if (fresh) {
      for (const field of this.fields.values()) clearTimeout(field.timer);
      this.fields = new Map();
      for (const question of questionsOf(this.definition)) {
        if (!ANSWERABLE.has(question.type)) continue;
        this.fields.set(question.id, new FieldWrites(question));
      }
    }
    this.refs.clear();
    const resend = [];
    for (const [id, field] of this.fields) {
      const saved = frame.answers[id] || { value: null, version: 0 };
      // Typed while the connection was away, or a write of ours that landed unseen: the page's
      // value is rebased onto the server's version and saved again (never an older one put back).
      const outcome = field.state(saved, { signed: !!this.signed });
      if (outcome === "resend") {
        if (!field.timer) resend.push(id);
      } else if (outcome === "replaced") {
        clearTimeout(field.timer);
        field.timer = null;
      }
    }
    this.offline = false;
    if (this.signed && this.view !== "form") this.leaveSigning();
    this.render();
    for (const id of resend) this.flush(id);
    if (this.justOpened) {
      this.justOpened = false;
      this.setCollapsed(false);
      this.setNotice(this.S.formOpened);
      this.title.focus({ preventScroll: true });
    }
  }

  onAnswer(frame) {
    const field = this.fields.get(frame.question);
    if (!field) return;
    const ref = field.inflight && field.inflight.ref;
    const out = field.answer(frame);
    if (out.confirmed) {
      this.refs.delete(ref);
      if (!field.dirty && !field.timer) this.showError(frame.question, null);
    }
    if (out.replaced) {
      this.writeControl(field);
      this.applyVisibility();
    }
    if (out.resend) this.flush(frame.question);
    this.updateSaved();
  }

  onRejected(frame) {
    const id = frame.question;
    const field = this.fields.get(id);
    if (!field) return;
    const ref = field.inflight && field.inflight.ref;
    const out = field.rejected(frame);
    if (ref && !field.inflight) this.refs.delete(ref);
    if (out.error) this.showError(id, out.error);
    if (out.replaced) {
      this.writeControl(field); // someone else's write wins (the page had nothing new)
      this.applyVisibility();
    }
    if (out.resend) this.flush(id);
    this.updateSaved();
  }

  onLanguage(language) {
    if (!language || language === this.language) return;
    this.language = language;
    this.stopSpeaking();
    this.render();
  }

  onIncomplete(missing) {
    this.leaveSigning();
    this.setView("form", { focus: false });
    for (const id of missing) this.showError(id, "required");
    this.setNotice(this.S.formIncomplete, "alert");
    this.focusQuestion(missing[0]);
  }

  onSigned(frame) {
    this.signed = { sha256: frame.sha256, signedAt: frame.signedAt };
    this.leaveSigning();
    this.setNotice("");
    this.view = "form";
    this.render();
    this.body.scrollTop = 0;
    this.signedBox.querySelector("h3")?.focus({ preventScroll: true });
  }

  onReopened() {
    this.signed = null;
    this.render();
    this.setNotice(this.S.formReopened);
  }

  // Rendering --------------------------------------------------------------------------------

  render() {
    if (!this.definition) return;
    const language = this.language;
    this.title.textContent = pick(this.definition.title, language);
    this.description.textContent = pick(this.definition.description, language);
    this.description.hidden = !this.definition.description;
    const languages = Object.keys(this.definition.languages || { [language]: "source" });
    this.languageSelect.replaceChildren(...languages.map((code) => h("option", {
      value: code, lang: code, text: this.S[`languageName.${code}`] || code,
    })));
    this.languageSelect.value = language;
    this.languageSelect.closest(".form-sheet__language").hidden = languages.length < 2;
    this.renderSigned();
    const shape = `${this.meta.questionnaire}|${language}`;
    if (shape !== this.renderedShape) {
      this.renderedShape = shape;
      this.renderQuestions();
    } else {
      // Same questions in the same language (e.g. after reconnecting): update in place, so
      // an input the resident is typing in stays the same element.
      for (const field of this.fields.values()) this.writeControl(field);
      this.applyVisibility();
    }
    if (this.view === "review") this.renderReview();
    if (this.view === "sign") this.renderSignTexts();
    this.setView(this.signed ? "form" : this.view, { focus: false });
    this.applyLanguage();
    this.updateSaved();
  }

  renderSigned() {
    const S = this.S;
    this.reviewButton.hidden = !!this.signed;
    this.signedBox.hidden = !this.signed;
    if (!this.signed) {
      this.signedBox.replaceChildren();
      return;
    }
    const { sha256, signedAt } = this.signed;
    this.signedBox.replaceChildren(
      h("h3", { class: "form-signed__title", tabindex: "-1", text: S.formSignedTitle }),
      h("p", { text: fmt(S.formSignedAt, { time: dateTimeText(signedAt, this.pageLanguage) }) }),
      h("p", { text: S.formSignedText }),
      h("p", { class: "form-signed__hash" }, `${S.formHash}: `,
        h("code", { class: "form-hash", dir: "ltr", text: `${sha256.slice(0, 16)}…` })),
      h("details", { class: "form-signed__details" },
        h("summary", { text: S.formHashFull }),
        h("code", { class: "form-hash form-hash--full", dir: "ltr", text: sha256 })),
    );
  }

  renderQuestions() {
    const focus = this.rememberFocus();
    this.controls = new Map(); // question id → {block, control(s), error, describedBy}
    const sections = this.definition.sections.map((section) => {
      const blocks = section.questions.map((q) => this.renderQuestion(q)).filter(Boolean);
      if (!blocks.length) return null;
      const titleId = `vc-fs-${section.id}`;
      return h("section", { class: "form-section", "aria-labelledby": titleId, "data-section": section.id },
        h("h3", { id: titleId, class: "form-section__title", text: pick(section.title, this.language) }),
        ...blocks);
    });
    this.questionsBox.replaceChildren(...sections.filter(Boolean));
    for (const field of this.fields.values()) {
      this.writeControl(field);
      if (field.error) this.showError(field.question.id, field.error);
    }
    this.applyVisibility();
    this.restoreFocus(focus);
  }

  renderQuestion(q) {
    if (q.type === "signature") return null; // the declaration is signed at the end
    const language = this.language;
    const words = this.words();
    const base = `vc-q-${q.id}`;
    const label = pick(q.label, language);
    const helpText = q.help ? pick(q.help, language) : "";
    const helpId = helpText ? `${base}-help` : null;
    const help = helpText ? h("p", { id: helpId, class: "form-q__help", text: helpText }) : null;
    const block = h("div", { class: `form-q form-q--${q.type.replace("_", "-")}`, id: base, "data-question": q.id });
    // Always offered: where neither the server nor the phone has a voice, a tap says so.
    const speak = h("span", { class: "form-q__speak-box" },
      h("button", {
        type: "button", class: "form-q__speak", "data-speak": q.id, text: words.readAloud,
        onclick: (event) => this.speak(q, event.currentTarget),
      }),
      h("span", { class: "form-q__speak-note", role: "status", hidden: true, text: words.noVoice }));
    if (q.type === "info") {
      add(block, h("p", { class: "form-info" }, label), help, speak);
      this.controls.set(q.id, { block });
      return block;
    }
    if (q.type === "photo") {
      add(block, h("p", { class: "form-q__label", text: label }), help,
        h("p", { class: "form-photo", text: words.photo }));
      this.controls.set(q.id, { block });
      return block;
    }
    const required = q.required ? h("span", { class: "form-q__required", text: ` ${words.required}` }) : null;
    const error = h("p", { id: `${base}-error`, class: "form-q__error error", "data-chrome": true, hidden: true });
    const entry = { block, error, helpId };
    if (CHOICE_TYPES.has(q.type)) {
      const options = q.type === "yes_no"
        ? [{ value: "true", text: words.yes }, { value: "false", text: words.no }]
        : q.options.map((o) => ({ value: o.value, text: pick(o.label, language) }));
      const kind = q.type === "multiple_choice" ? "checkbox" : "radio";
      entry.inputs = options.map((option, index) => h("input", {
        type: kind, id: `${base}-o${index}`, name: base, value: option.value,
        onchange: () => this.change(q.id, this.readControl(this.fields.get(q.id)), false),
      }));
      entry.group = h("fieldset", { class: "form-q__set", "aria-describedby": helpId },
        h("legend", { class: "form-q__label" }, label, required),
        help, speak,
        h("div", { class: `form-q__options${q.type === "yes_no" ? " form-q__options--pair" : ""}` },
          options.map((option, index) => h("label", { class: "form-choice", for: `${base}-o${index}` },
            entry.inputs[index], h("span", { class: "form-choice__text", text: option.text })))),
        error);
      add(block, entry.group);
    } else {
      const inputId = `${base}-input`;
      const common = {
        id: inputId, name: base, "aria-describedby": helpId,
        "aria-required": q.required ? "true" : null,
      };
      if (q.type === "long_text") {
        entry.input = h("textarea", {
          ...common, rows: "4", maxlength: q.max_length || DEFAULT_MAX_LENGTH.long_text, dir: "auto",
        });
      } else if (q.type === "date") {
        entry.input = h("input", { ...common, type: "date" });
      } else if (q.type === "number") {
        entry.input = h("input", { ...common, type: "text", inputmode: "decimal", autocomplete: "off", class: "form-q__number" });
      } else {
        entry.input = h("input", {
          ...common, type: "text", autocomplete: "off", dir: "auto",
          maxlength: q.max_length || DEFAULT_MAX_LENGTH.short_text,
        });
      }
      const input = entry.input;
      if (q.type === "date") {
        input.addEventListener("change", () => this.change(q.id, input.value || null, false));
      } else {
        input.addEventListener("input", () => this.onTyping(q));
        input.addEventListener("blur", () => this.onBlur(q));
      }
      add(block, h("label", { for: inputId, class: "form-q__label" }, label, required), help, speak, input, error);
    }
    this.controls.set(q.id, entry);
    return block;
  }

  readControl(field) {
    const entry = this.controls.get(field.question.id);
    const { type } = field.question;
    if (!entry) return field.value;
    if (type === "number") return parseNumber(entry.input.value, this.language);
    if (type === "date") return entry.input.value || null;
    if (type === "short_text" || type === "long_text") return entry.input.value;
    const checked = entry.inputs.filter((input) => input.checked).map((input) => input.value);
    if (type === "yes_no") return checked.length ? checked[0] === "true" : null;
    if (type === "single_choice") return checked[0] ?? null;
    return checked; // multiple_choice, in template order
  }

  writeControl(field) {
    const entry = this.controls?.get(field.question.id);
    if (!entry) return;
    const { type } = field.question;
    const value = field.value;
    if (entry.input) {
      const current = this.readControl(field);
      if (same(current, value) && !(type === "number" && Number.isNaN(current))) return; // keep caret and typing
      if (type === "number") entry.input.value = numberInputText(value, this.language);
      else entry.input.value = isEmpty(value) ? "" : String(value);
      return;
    }
    for (const input of entry.inputs) {
      if (type === "yes_no") input.checked = value !== null && value !== undefined && String(value) === input.value;
      else if (type === "single_choice") input.checked = value === input.value;
      else input.checked = Array.isArray(value) && value.includes(input.value);
    }
  }

  applyVisibility() {
    if (!this.controls) return;
    const valueOf = (id) => this.fields.get(id)?.value;
    for (const question of questionsOf(this.definition)) {
      const entry = this.controls.get(question.id);
      if (entry) entry.block.hidden = !isVisible(question, valueOf);
    }
    for (const section of this.questionsBox.querySelectorAll(".form-section")) {
      section.hidden = ![...section.querySelectorAll(".form-q")].some((block) => !block.hidden);
    }
    this.applyDisabled();
  }

  applyDisabled() {
    const locked = !!this.signed;
    for (const entry of this.controls?.values() || []) {
      if (entry.input) entry.input.disabled = locked;
      if (entry.inputs) for (const input of entry.inputs) input.disabled = locked;
    }
  }

  visibleQuestions() {
    const valueOf = (id) => this.fields.get(id)?.value;
    return questionsOf(this.definition).filter((q) => isVisible(q, valueOf));
  }

  // Errors and notices -----------------------------------------------------------------------

  showError(id, code) {
    const field = this.fields.get(id);
    if (field) field.error = code;
    const entry = this.controls?.get(id);
    if (!entry || !entry.error) return;
    const message = code ? this.S[ERROR_STRINGS[code]] || this.S.formErrorOther : "";
    entry.error.textContent = message;
    entry.error.hidden = !code;
    entry.block.classList.toggle("form-q--error", !!code);
    const describedBy = [entry.helpId, code ? entry.error.id : null].filter(Boolean).join(" ");
    const targets = entry.input ? [entry.input] : [entry.group];
    for (const target of targets) {
      if (describedBy) target.setAttribute("aria-describedby", describedBy);
      else target.removeAttribute("aria-describedby");
    }
    for (const input of entry.input ? [entry.input] : entry.inputs) {
      if (code) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }

  setNotice(text, kind = "info") {
    this.notice.textContent = text;
    this.notice.dataset.kind = kind;
  }

  focusQuestion(id) {
    const entry = id && this.controls?.get(id);
    if (!entry) return;
    const target = entry.input || entry.inputs?.find((i) => i.checked) || entry.inputs?.[0];
    entry.block.scrollIntoView({ block: "center" });
    target?.focus({ preventScroll: true });
  }

  rememberFocus() {
    const active = document.activeElement;
    if (!active || !this.questionsBox.contains(active) || !active.id) return null;
    return { id: active.id, start: active.selectionStart, end: active.selectionEnd };
  }

  restoreFocus(saved) {
    if (!saved) return;
    const node = document.getElementById(saved.id);
    if (!node) return;
    node.focus({ preventScroll: true });
    try {
      if (saved.start !== null && saved.start !== undefined) node.setSelectionRange(saved.start, saved.end);
    } catch {
      /* not a text field */
    }
  }

  // Answers ----------------------------------------------------------------------------------

  onTyping(q) {
    const field = this.fields.get(q.id);
    const value = this.readControl(field);
    if (q.type === "number" && Number.isNaN(value)) {
      clearTimeout(field.timer); // half-typed ("12,"): wait; the blur says what is wrong
      field.timer = null;
      return;
    }
    this.change(q.id, value, true);
  }

  onBlur(q) {
    const field = this.fields.get(q.id);
    if (!field || this.signed) return;
    if (q.type === "number" && Number.isNaN(this.readControl(field))) {
      this.showError(q.id, "number");
      return;
    }
    this.flush(q.id);
  }

  change(id, value, typing) {
    const field = this.fields.get(id);
    if (!field || this.signed) return;
    field.edit(value);
    this.edited = true;
    if (field.error) this.showError(id, null);
    if (this.notice.textContent) this.setNotice("");
    this.applyVisibility();
    if (!typing) {
      this.flush(id);
    } else if (!field.timer) {
      field.timer = setTimeout(() => this.flush(id), TYPING_DELAY_MS);
    }
    this.updateSaved();
  }

  flush(id) {
    const field = this.fields.get(id);
    if (!field) return;
    clearTimeout(field.timer);
    field.timer = null;
    const write = this.signed ? null : field.nextWrite();
    if (!write) {
      this.updateSaved();
      return;
    }
    // Writes are pipelined (form-model.js): the server applies one socket's frames in order.
    this.counter += 1;
    const ref = `a${this.counter}`;
    const sent = this.socket.send("form-answer", { question: id, value: write.value, base: write.base, ref });
    if (!sent) {
      this.offline = true; // the next form-state (after reconnecting) sends it again
    } else {
      field.sent(write, ref);
      this.refs.set(ref, id);
    }
    this.updateSaved();
  }

  flushAll() {
    for (const [id, field] of this.fields) if (field.timer || field.dirty) this.flush(id);
  }

  busy() {
    return [...this.fields.values()].some((f) => f.busy);
  }

  /** Resolves true once every answer is saved (or false after `ms`). */
  settled(ms) {
    const until = Date.now() + ms;
    return new Promise((resolve) => {
      const check = () => {
        if (!this.busy()) resolve(true);
        else if (Date.now() > until) resolve(false);
        else setTimeout(check, 50);
      };
      check();
    });
  }

  updateSaved() {
    const busy = this.busy();
    const state = this.offline ? "offline" : busy ? "saving" : this.edited ? "saved" : "";
    this.savedLine.dataset.state = state;
    this.savedLine.textContent = {
      offline: this.S.formOffline, saving: this.S.formSaving, saved: this.S.formSaved,
    }[state] || "";
  }

  // Reading aloud ----------------------------------------------------------------------------

  speak(q, button) {
    const words = this.words();
    if (this.speaking && this.speaking.id === q.id) {
      this.stopSpeaking();
      return;
    }
    this.stopSpeaking();
    const language = this.language;
    const note = button.parentElement?.querySelector(".form-q__speak-note");
    if (note) note.hidden = true;
    if (this.serverVoices.has(language)) {
      this.speakFromServer(q, button, language);
      return;
    }
    if (!this.canSpeakHere(language)) {
      if (note) note.hidden = false;
      return;
    }
    this.speakHere(q, button, language);
  }

  /** The server's Opus audio; if it cannot play (engine failed), the phone's voice. */
  speakFromServer(q, button, language) {
    const words = this.words();
    const audio = new Audio(`/speech/${this.visitId}/${encodeURIComponent(q.id)}/${language}.opus`);
    const done = () => {
      if (this.speaking?.audio !== audio) return;
      this.speaking = null;
      button.textContent = words.readAloud;
    };
    const fallback = () => {
      if (this.speaking?.audio !== audio) return;
      this.speaking = null;
      button.textContent = words.readAloud;
      if (this.canSpeakHere(language)) this.speakHere(q, button, language);
      else button.parentElement?.querySelector(".form-q__speak-note")?.removeAttribute("hidden");
    };
    audio.addEventListener("ended", done);
    audio.addEventListener("error", fallback);
    this.speaking = { id: q.id, audio, button, label: words.readAloud };
    button.textContent = words.stopReading;
    audio.play().catch(fallback);
  }

  speakHere(q, button, language) {
    const synth = window.speechSynthesis;
    const words = this.words();
    const parts = [pick(q.label, language), q.help ? pick(q.help, language) : ""];
    if (q.type === "yes_no") parts.push(words.yes, words.no);
    for (const option of q.options || []) parts.push(pick(option.label, language));
    const text = parts.filter(Boolean).map((p) => (/[.?!:؟]\s*$/.test(p) ? p : `${p}.`)).join(" ");
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = BCP47[language] || language;
    const voices = synth.getVoices();
    const voice = voices.find((v) => v.lang.replace("_", "-") === utterance.lang)
      || voices.find((v) => v.lang.toLowerCase().startsWith(language));
    try {
      if (voice) utterance.voice = voice;
    } catch {
      /* the language alone picks one */
    }
    utterance.rate = 0.9;
    const done = () => {
      if (this.speaking?.utterance !== utterance) return;
      this.speaking = null;
      button.textContent = words.readAloud;
    };
    utterance.addEventListener("end", done);
    utterance.addEventListener("error", done);
    this.speaking = { id: q.id, utterance, button, label: words.readAloud };
    button.textContent = words.stopReading;
    synth.speak(utterance);
  }

  stopSpeaking() {
    if (!this.speaking) return;
    const { button, label, audio } = this.speaking;
    this.speaking = null;
    button.textContent = label;
    if (audio) audio.pause();
    else window.speechSynthesis.cancel();
  }

  /** The caseworker asked this phone to read a question aloud (`read-aloud` frame). */
  readAloudRequested(questionId) {
    const button = this.root.querySelector(`.form-q__speak[data-speak="${CSS.escape(questionId)}"]`);
    const question = this.definition && this.findQuestion(questionId);
    if (!button || !question) return;
    if (this.speaking?.id === questionId) return;
    button.scrollIntoView({ block: "center" });
    this.speak(question, button);
  }

  findQuestion(questionId) {
    for (const section of this.definition.sections) {
      for (const q of section.questions) if (q.id === questionId) return q;
    }
    return null;
  }

  // Review and signature ---------------------------------------------------------------------

  setView(view, { focus = true } = {}) {
    this.view = view;
    this.root.dataset.view = this.signed && view === "form" ? "signed" : view;
    this.stage.classList.toggle("call__stage--signing", view === "sign");
    this.formView.hidden = view !== "form";
    this.reviewView.hidden = view !== "review";
    this.signView.hidden = view !== "sign";
    if (!focus) return;
    this.body.scrollTop = 0;
    const heading = { form: this.title, review: this.reviewView.querySelector("h3"), sign: this.signView.querySelector("h3") }[view];
    heading?.focus({ preventScroll: true });
  }

  /** Visible questions that must be answered but are not, or hold an answer the server refused. */
  problems() {
    const out = [];
    for (const q of this.visibleQuestions()) {
      const field = this.fields.get(q.id);
      if (!field) continue;
      if (field.error) out.push([q.id, field.error]);
      else if (q.required && isEmpty(field.value)) out.push([q.id, "required"]);
    }
    return out;
  }

  startReview() {
    this.stopSpeaking();
    this.flushAll();
    const problems = this.problems();
    if (problems.length) {
      for (const [id, code] of problems) this.showError(id, code);
      this.setNotice(this.S.formIncomplete, "alert");
      this.focusQuestion(problems[0][0]);
      return;
    }
    this.setNotice("");
    this.renderReview();
    this.setView("review");
    import("./signature.js").catch(() => {}); // warm up for the next step
  }

  renderReview() {
    const S = this.S;
    const language = this.language;
    const words = this.words();
    const valueOf = (id) => this.fields.get(id)?.value;
    const sections = this.definition.sections.map((section) => {
      const pairs = section.questions
        .filter((q) => ANSWERABLE.has(q.type) && isVisible(q, valueOf))
        .map((q) => {
          const text = answerText(q, valueOf(q.id), language, words);
          return h("div", { class: "form-summary__item" },
            h("dt", { text: pick(q.label, language) }),
            text === null
              ? h("dd", { class: "form-summary__empty", text: words.notAnswered })
              : h("dd", { dir: q.type.endsWith("_text") ? "auto" : null, text }));
        });
      if (!pairs.length) return null;
      return h("section", { class: "form-summary__section" },
        h("h4", { class: "form-summary__title", text: pick(section.title, language) }),
        h("dl", { class: "form-summary" }, pairs));
    });
    this.reviewView.replaceChildren(
      h("h3", { class: "form-view__title", tabindex: "-1", "data-chrome": true, text: S.formReviewTitle }),
      h("p", { class: "form-view__intro", "data-chrome": true, text: S.formReviewIntro }),
      ...sections.filter(Boolean),
      h("div", { class: "form-sheet__actions", "data-chrome": true },
        h("button", { type: "button", class: "button button--primary button--block", text: S.formToSign, onclick: () => this.startSigning() }),
        h("button", { type: "button", class: "button button--secondary button--block", text: S.formBack, onclick: () => this.setView("form") })),
    );
    this.applyLanguage();
  }

  startSigning() {
    const S = this.S;
    this.signTexts = h("div", { class: "form-declarations" });
    this.signIntro = h("p", { class: "form-view__intro", "data-chrome": true, text: S.formSignIntro });
    this.canvas = h("canvas", { class: "form-pad__canvas", role: "img", "aria-label": S.formSignBox });
    this.signError = h("p", { class: "form-sign__error error", role: "alert", hidden: true });
    this.signButton = h("button", { type: "button", class: "button button--primary button--block", text: S.formSign, onclick: () => this.sign() });
    this.signView.replaceChildren(
      h("button", { type: "button", class: "form-sheet__back", "data-chrome": true, text: S.formBack, onclick: () => this.backToForm() }),
      h("h3", { class: "form-view__title", tabindex: "-1", "data-chrome": true, text: S.formSignTitle }),
      this.signTexts,
      this.signIntro,
      h("div", { class: "form-pad" }, this.canvas,
        h("button", { type: "button", class: "form-pad__clear", "data-chrome": true, text: S.formClear, onclick: () => this.clearPad() })),
      h("div", { "data-chrome": true }, this.signError),
      h("div", { class: "form-sheet__actions", "data-chrome": true }, this.signButton),
    );
    this.renderSignTexts();
    this.applyLanguage();
    this.setView("sign");
    import("./signature.js").then(({ createSignature }) => {
      if (this.view !== "sign" || this.pad) return;
      this.pad = createSignature(this.canvas, { onStroke: () => { this.signError.hidden = true; } });
    }).catch(() => this.signFailed(S.formLoadFailed));
  }

  renderSignTexts() {
    if (!this.signTexts) return;
    const language = this.language;
    const valueOf = (id) => this.fields.get(id)?.value;
    const declarations = questionsOf(this.definition).filter((q) => q.type === "signature" && isVisible(q, valueOf));
    this.signTexts.replaceChildren(...declarations.map((q) => h("div", { class: "form-declaration" },
      h("p", { class: "form-declaration__text", text: pick(q.label, language) }),
      q.help ? h("p", { class: "form-q__help", text: pick(q.help, language) }) : null)));
    // The template says how to sign (in the questionnaire language)? Then ours is not needed.
    this.signIntro.hidden = declarations.some((q) => q.help);
  }

  clearPad() {
    this.pad?.clear();
    this.signError.hidden = true;
  }

  backToForm() {
    this.leaveSigning();
    this.setView("form");
  }

  leaveSigning() {
    if (this.signing) clearTimeout(this.signing.timer);
    this.signing = null;
    this.pad?.destroy();
    this.pad = null;
  }

  signFailed(message) {
    if (this.signing) clearTimeout(this.signing.timer);
    this.signing = null;
    if (!this.signButton) return;
    this.signButton.disabled = false;
    this.signButton.textContent = this.S.formSign;
    this.signError.textContent = message;
    this.signError.hidden = false;
  }

  async sign() {
    const S = this.S;
    if (this.signing) return;
    if (!this.pad || this.pad.isEmpty()) {
      this.signError.textContent = S.formSignEmpty;
      this.signError.hidden = false;
      return;
    }
    this.signError.hidden = true;
    this.signButton.disabled = true;
    this.signButton.textContent = S.formSigning;
    this.signing = { ref: null, timer: null };
    this.flushAll();
    const saved = await this.settled(8000);
    if (!this.signing) return;
    if (!saved) {
      this.signFailed(S.formOffline);
      return;
    }
    const problems = this.problems(); // an answer was refused meanwhile: show it first
    if (problems.length) {
      this.onIncomplete([]);
      for (const [id, code] of problems) this.showError(id, code);
      this.focusQuestion(problems[0][0]);
      return;
    }
    let payload;
    try {
      payload = this.pad.export();
    } catch {
      this.signFailed(S.formSignFailed);
      return;
    }
    this.counter += 1;
    this.signing.ref = `s${this.counter}`;
    if (!this.socket.send("form-sign", { ...payload, ref: this.signing.ref })) {
      this.signFailed(S.formOffline);
      return;
    }
    this.signing.timer = setTimeout(() => this.signFailed(S.formSignFailed), SIGN_TIMEOUT_MS);
  }

  // For tests and support: what the page holds ------------------------------------------------

  state() {
    const answers = {};
    for (const [id, field] of this.fields) {
      if (!field.version && isEmpty(field.value)) continue;
      answers[id] = {
        value: field.value, version: field.version,
        saved: field.saved,
      };
    }
    return JSON.parse(JSON.stringify({
      role: "resident", ...this.meta, language: this.language, signed: this.signed,
      view: this.view, collapsed: this.collapsed, answers,
    }));
  }
}

// Staff --------------------------------------------------------------------------------------

export class StaffView {
  constructor({ socket, strings, panel, residentPeer }) {
    this.socket = socket;
    this.residentPeer = residentPeer || (() => null);
    this.S = strings;
    this.panel = panel;
    this.pageLanguage = document.documentElement.lang || "nl";
    this.startButton = panel.querySelector("#vc-form-start");
    this.status = panel.querySelector("#vc-form-staff-status");
    this.view = panel.querySelector("#vc-form-staff-view");
    this.definition = null;
    this.meta = {};
    this.answers = {};
    this.language = "nl";
    this.signed = null;
    this.highlights = new Map();
    this.notesSent = null;
    this.notesDirty = false;
    this.notesTimer = null;
    this.notesLoaded = false;
    this.build();
  }

  build() {
    const S = this.S;
    this.titleLine = h("p", { class: "form-staff__title" });
    this.meta = {};
    this.metaLine = h("p", { class: "form-staff__meta" });
    this.stateBox = h("div", { class: "form-staff__state" });
    this.answersBox = h("div", { class: "form-staff__answers" });
    this.notes = h("textarea", {
      id: "vc-form-notes", class: "form-staff__notes", rows: "5", maxlength: "20000",
      "aria-describedby": "vc-form-notes-status",
      oninput: () => this.notesChanged(), onblur: () => this.sendNotes(),
    });
    this.notesStatus = h("p", { id: "vc-form-notes-status", class: "form-staff__notes-status muted", "aria-live": "polite" });
    this.announcer = h("p", { class: "visually-hidden", role: "status" });
    this.view.replaceChildren(
      this.announcer, this.titleLine, this.metaLine, this.stateBox, this.answersBox,
      h("div", { class: "field form-staff__notes-field" },
        h("label", { for: "vc-form-notes", text: S.formNotes }), this.notes, this.notesStatus),
    );
  }

  handle(frame) {
    switch (frame.type) {
      case "form-state": this.onState(frame); break;
      case "form-answer": this.onAnswer(frame); break;
      case "form-language":
        this.language = frame.language;
        this.renderMeta();
        break;
      case "form-signed":
        this.signed = { sha256: frame.sha256, signedAt: frame.signedAt };
        this.renderState();
        this.announcer.textContent = fmt(this.S.formStaffSigned, { time: dateTimeText(frame.signedAt, this.pageLanguage) });
        break;
      case "form-reopened":
        this.signed = null;
        this.renderState();
        this.announcer.textContent = this.S.formStaffReopened;
        break;
      case "form-notes": this.onNotes(frame.text); break;
      default: break;
    }
  }

  handleError(frame) {
    if (frame.code === "no_template") {
      this.status.textContent = this.S.formNoTemplate;
      return true;
    }
    if (frame.code === "storage_not_approved") {
      // the privacy officer has not approved storing notes for this process
      this.notesSent = null;
      this.notesStatus.textContent = this.S.formNotesNotApproved || frame.message;
      return true;
    }
    return frame.code === "form_locked" || frame.code === "no_form";
  }

  /** Question texts in the caseworker's language when the template has it, else Dutch. */
  get labelLanguage() {
    const languages = this.definition?.languages || {};
    if (this.pageLanguage in languages) return this.pageLanguage;
    return "nl" in languages ? "nl" : Object.keys(languages)[0] || "nl";
  }

  onState(frame) {
    this.definition = frame.definition;
    this.meta = { questionnaire: frame.questionnaire, template: frame.template, version: frame.version };
    this.answers = { ...frame.answers };
    this.language = frame.language;
    this.signed = frame.signed || null;
    const startedHere = this.startButton.disabled && !this.startButton.hidden;
    this.startButton.hidden = true;
    this.startButton.disabled = false;
    if (this.status.textContent === this.S.formStarting) this.status.textContent = "";
    this.view.hidden = false;
    this.panel.closest(".staff-panel")?.classList.add("staff-panel--form");
    this.titleLine.textContent = pick(this.definition.title, this.labelLanguage);
    this.answersKey = null;
    this.renderMeta();
    this.renderState();
    this.renderAnswers();
    // Started with the button just now: bring the live view up in the panel (focus stays).
    if (startedHere) this.panel.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  onAnswer(frame) {
    const known = this.answers[frame.question];
    if (known && frame.version <= known.version) return;
    this.answers[frame.question] = { value: frame.value, version: frame.version };
    this.renderMeta();
    this.renderAnswers(frame.question);
  }

  valueOf(id) {
    return this.answers[id]?.value;
  }

  renderMeta() {
    if (!this.definition) return;
    const S = this.S;
    const counted = questionsOf(this.definition)
      .filter((q) => ANSWERABLE.has(q.type) && isVisible(q, (id) => this.valueOf(id)));
    const answered = counted.filter((q) => !isEmpty(this.valueOf(q.id))).length;
    const name = h("span", { lang: this.language, text: S[`languageName.${this.language}`] || this.language });
    this.metaLine.replaceChildren(
      h("span", { class: "form-staff__language" }, ...fmtNodes(S.formResidentLanguage, { language: name })),
      h("span", { class: "form-staff__progress", text: fmt(S.formProgress, { answered, total: counted.length }) }),
    );
  }

  renderState() {
    const S = this.S;
    if (!this.signed) {
      this.stateBox.dataset.state = "filling";
      this.stateBox.replaceChildren(h("p", { class: "form-staff__filling", text: S.formFilling }));
      return;
    }
    this.stateBox.dataset.state = "signed";
    this.stateBox.replaceChildren(
      h("p", { class: "form-staff__signed", text: fmt(S.formStaffSigned, { time: dateTimeText(this.signed.signedAt, this.pageLanguage) }) }),
      h("p", { class: "form-staff__hash-label", text: S.formStaffHash }),
      h("code", { class: "form-hash form-hash--full", dir: "ltr", text: this.signed.sha256 }),
      h("button", {
        type: "button", class: "button button--secondary button--small", text: S.formReopen,
        onclick: () => {
          if (window.confirm(S.formConfirmReopen)) this.socket.send("form-reopen");
        },
      }),
    );
  }

  /** Ask the resident's phone to read this question aloud (language app, `read-aloud`). */
  readAloudButton(q) {
    if (!this.S.formStaffReadAloud || q.type === "photo") return null;
    const label = pick(q.label, this.labelLanguage);
    return h("button", {
      type: "button", class: "form-staff__speak", "aria-label": `${this.S.formStaffReadAloud}: ${label}`,
      title: this.S.formStaffReadAloud,
      onclick: () => {
        const to = this.residentPeer();
        if (to) this.socket.send("read-aloud", { to, question: q.id });
      },
    });
  }

  answerCell(q) {
    const S = this.S;
    if (q.type === "photo") {
      // The photo panel (gallery.js) takes the photo for this question: a photo question.
      const ask = () => this.panel.dispatchEvent(new CustomEvent("vc-photo-question",
        { bubbles: true, detail: { question: q.id } }));
      return h("dd", { class: "form-staff__photo" },
        h("span", { class: "form-staff__empty", text: S.formStaffPhoto }), " ",
        h("button", { type: "button", class: "button button--secondary button--small", "data-photo-question": q.id,
                      onclick: ask }, S.formTakePhoto,
          h("span", { class: "visually-hidden", text: `: ${pick(q.label, this.labelLanguage)}` })));
    }
    const text = answerText(q, this.valueOf(q.id), this.labelLanguage, { yes: S.formYes, no: S.formNo });
    if (text === null) {
      const missing = q.required ? ` (${S.formStaffRequired})` : "";
      return h("dd", { class: "form-staff__empty", text: `${S.formNotAnswered}${missing}` });
    }
    return h("dd", { dir: q.type.endsWith("_text") ? "auto" : null, text });
  }

  /** Rebuilt when the visible questions change; otherwise only the changed answer. */
  renderAnswers(changedId = null) {
    const language = this.labelLanguage;
    const shown = (q) => (ANSWERABLE.has(q.type) || q.type === "photo") && isVisible(q, (id) => this.valueOf(id));
    const key = `${language}|${questionsOf(this.definition).filter(shown).map((q) => q.id).join(",")}`;
    const item = (id) => this.answersBox.querySelector(`[data-question="${CSS.escape(id)}"]`);
    if (key !== this.answersKey) {
      this.answersKey = key;
      const sections = this.definition.sections.map((section) => {
        const items = section.questions.filter(shown).map((q) => h("div", { class: "form-staff__item", "data-question": q.id },
          h("dt", { text: pick(q.label, language) }, this.readAloudButton(q)), this.answerCell(q)));
        if (!items.length) return null;
        return h("section", { class: "form-staff__section" },
          h("h3", { class: "form-staff__section-title", text: pick(section.title, language) }),
          h("dl", { class: "form-staff__list" }, items));
      });
      this.answersBox.replaceChildren(...sections.filter(Boolean));
    } else if (changedId) {
      const question = questionsOf(this.definition).find((q) => q.id === changedId);
      item(changedId)?.querySelector("dd").replaceWith(this.answerCell(question));
    }
    const node = changedId && item(changedId);
    if (!node) return;
    // Light up for a moment; restart when it changes again (typing). Never moves focus.
    node.classList.remove("is-changed");
    void node.offsetWidth;
    node.classList.add("is-changed");
    clearTimeout(this.highlights.get(changedId));
    this.highlights.set(changedId, setTimeout(() => node.classList.remove("is-changed"), HIGHLIGHT_MS));
  }

  // Notes ------------------------------------------------------------------------------------

  notesChanged() {
    this.notesDirty = true;
    this.notesStatus.textContent = this.S.formNotesSaving;
    clearTimeout(this.notesTimer);
    this.notesTimer = setTimeout(() => this.sendNotes(), NOTES_DELAY_MS);
  }

  sendNotes() {
    clearTimeout(this.notesTimer);
    this.notesTimer = null;
    if (!this.notesDirty) return;
    const text = this.notes.value;
    if (this.socket.send("form-notes", { text })) {
      this.notesSent = text;
      this.notesDirty = false;
    }
  }

  onNotes(text) {
    const first = !this.notesLoaded;
    this.notesLoaded = true;
    if (this.notesSent !== null && text === this.notesSent) {
      this.notesSent = null;
      if (!this.notesDirty) this.notesStatus.textContent = this.S.formNotesSaved;
      return;
    }
    if (this.notesDirty || this.notesTimer) {
      if (!first) this.notesStatus.textContent = this.S.formNotesOther; // ours is saved next, over it
      return;
    }
    if (this.notes.value !== text) {
      this.notes.value = text;
      if (!first) this.notesStatus.textContent = this.S.formNotesOther;
    }
  }

  state() {
    return JSON.parse(JSON.stringify({
      role: "staff", ...this.meta, language: this.language, signed: this.signed,
      answers: this.answers, notes: this.notes.value,
    }));
  }
}

/** The questionnaire for this page: the resident's sheet, the caseworker's view, or nothing. */
export function mountForm({ role, socket, strings, stage, panel, visitId, residentPeer }) {
  if (role === "resident") return new ResidentForm({ socket, strings, stage, visitId });
  if (role === "staff" && panel) return new StaffView({ socket, strings, panel, residentPeer });
  return null;
}
