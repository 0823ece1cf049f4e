// The resident's questionnaire sheet in the DOM: over (phone) or beside (wide screen) the video.
// It shows what the form (form.js) holds and tells the form what the resident did; it sends
// nothing itself. The controls of one question are form-questions.js.
import { isVisible, questionsOf } from "./form-model.js";
import { renderQuestion, readControl, writeControl } from "./form-questions.js";
import { dateTimeText, fmt, h, languageDirection, pick } from "./form-text.js";

const ERROR_STRINGS = {
  required: "formErrorRequired", type: "formErrorType", number: "formErrorNumber",
  too_long: "formErrorTooLong", too_small: "formErrorTooSmall", too_large: "formErrorTooLarge",
  date: "formErrorDate", option: "formErrorOption",
};

/** @typedef {import("./form-questions.js").Controls} Controls */
/** @typedef {import("./form-model.js").FieldWrites} FieldWrites */
/** @typedef {import("./form.js").ResidentForm} ResidentForm */

export class SheetView {
  /**
   * @param {ResidentForm} form what the sheet shows, and whom it tells what the resident did
   * @param {HTMLElement} stage the call's stage (the sheet goes before its controls)
   */
  constructor(form, stage) {
    this.form = form;
    this.S = form.S;
    this.stage = stage;
    this.pageLanguage = document.documentElement.lang || "nl";
    this.pageDirection = document.documentElement.dir || "ltr";
    this.view = "form"; // form, review or sign
    this.collapsed = false;
    /** @type {Map<string, Controls> | null} question id → its controls */
    this.controls = null;
    this.renderedShape = "";
    this.build();
  }

  build() {
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
      onchange: () => this.form.chooseLanguage(this.languageSelect.value),
    });
    const languageField = h("div", { class: "form-sheet__language", "data-chrome": true },
      h("label", { for: "vc-form-language", text: S.formLanguage }), this.languageSelect);
    this.notice = h("div", { class: "form-sheet__notice", role: "status", "data-chrome": true });
    this.signedBox = h("div", { class: "form-signed", "data-chrome": true, hidden: true });
    this.questionsBox = h("div", { class: "form-questions" });
    this.reviewButton = h("button", {
      type: "button", class: "button button--primary button--block", text: S.formReview,
      onclick: () => this.form.signing.startReview(),
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

  /** @param {boolean} collapsed */
  setCollapsed(collapsed) {
    this.collapsed = collapsed;
    this.body.hidden = collapsed;
    this.toggle.setAttribute("aria-expanded", String(!collapsed));
    this.toggleText.textContent = collapsed ? this.S.formShow : this.S.formHide;
    this.stage.classList.toggle("call__stage--form-collapsed", collapsed);
    if (collapsed) this.form.speech.stop();
  }

  /** Sheet texts (page language) inside a sheet that follows the questionnaire language. */
  applyLanguage() {
    const language = this.form.language;
    this.root.lang = language;
    this.root.dir = languageDirection(language);
    const other = language !== this.pageLanguage;
    for (const node of this.root.querySelectorAll("[data-chrome]")) {
      if (!(node instanceof HTMLElement)) continue;
      if (other) {
        node.lang = this.pageLanguage;
        node.dir = this.pageDirection;
      } else {
        node.removeAttribute("lang");
        node.removeAttribute("dir");
      }
    }
  }

  // Rendering --------------------------------------------------------------------------------

  render() {
    const { definition, language, signed } = this.form;
    if (!definition) return;
    this.title.textContent = pick(definition.title, language);
    this.description.textContent = pick(definition.description, language);
    this.description.hidden = !definition.description;
    const languages = Object.keys(definition.languages || { [language]: "source" });
    this.languageSelect.replaceChildren(...languages.map((code) => h("option", {
      value: code, lang: code, text: this.S[`languageName.${code}`] || code,
    })));
    this.languageSelect.value = language;
    this.languageSelect.closest(".form-sheet__language").hidden = languages.length < 2;
    this.renderSigned();
    const shape = `${this.form.meta.questionnaire}|${language}`;
    if (shape !== this.renderedShape) {
      this.renderedShape = shape;
      this.renderQuestions();
    } else {
      // Same questions in the same language (e.g. after reconnecting): update in place, so
      // an input the resident is typing in stays the same element.
      for (const field of this.form.fields.values()) this.writeControl(field);
      this.applyVisibility();
    }
    if (this.view === "review") this.form.signing.renderReview();
    if (this.view === "sign") this.form.signing.renderSignTexts();
    this.setView(signed ? "form" : this.view, { focus: false });
    this.applyLanguage();
    this.updateSaved();
  }

  renderSigned() {
    const S = this.S;
    const { signed } = this.form;
    this.reviewButton.hidden = !!signed;
    this.signedBox.hidden = !signed;
    if (!signed) {
      this.signedBox.replaceChildren();
      return;
    }
    const { sha256, signedAt } = signed;
    this.signedBox.replaceChildren(
      h("h3", { class: "form-signed__title", tabindex: "-1", text: S.formSignedTitle }),
      h("p", { text: fmt(S.formSignedAt, { time: dateTimeText(signedAt, this.pageLanguage) }) }),
      h("p", { text: S.formSignedText }),
      // The check code is for the record, not for reading: it stays in a disclosure.
      h("details", { class: "form-signed__details" },
        h("summary", { text: S.formHashFull }),
        h("code", { class: "form-hash form-hash--full", dir: "ltr", text: sha256 })),
    );
  }

  renderQuestions() {
    const { definition, language } = this.form;
    const focus = this.rememberFocus();
    const controls = new Map();
    this.controls = controls;
    const words = this.form.words();
    const form = this.form;
    /** @type {import("./form-questions.js").QuestionEvents} */
    const events = {
      change: (id, value, typing) => form.change(id, value, typing),
      typing: (q) => form.onTyping(q),
      blur: (q) => form.onBlur(q),
      speak: (q, button) => form.speech.speak(q, button),
      read: (entry, q) => readControl(entry, q.type, form.language),
    };
    const sections = definition.sections.map((/** @type {any} */ section) => {
      const blocks = section.questions.map((/** @type {any} */ q) => {
        const entry = renderQuestion(q, language, words, events);
        if (entry) controls.set(q.id, entry);
        return entry && entry.block;
      }).filter(Boolean);
      if (!blocks.length) return null;
      const titleId = `vc-fs-${section.id}`;
      return h("section", { class: "form-section", "aria-labelledby": titleId, "data-section": section.id },
        h("h3", { id: titleId, class: "form-section__title", text: pick(section.title, language) }),
        ...blocks);
    });
    this.questionsBox.replaceChildren(...sections.filter(Boolean));
    for (const field of this.form.fields.values()) {
      this.writeControl(field);
      if (field.error) this.showError(field.question.id, field.error);
    }
    this.applyVisibility();
    this.restoreFocus(focus);
  }

  /** The value the resident's controls hold for this field. @param {FieldWrites} field */
  readControl(field) {
    const entry = this.controls?.get(field.question.id);
    if (!entry) return field.value;
    return readControl(entry, field.question.type, this.form.language);
  }

  /** @param {FieldWrites} field */
  writeControl(field) {
    const entry = this.controls?.get(field.question.id);
    if (!entry) return;
    writeControl(entry, field.question.type, field.value, this.form.language);
  }

  applyVisibility() {
    if (!this.controls) return;
    const valueOf = (/** @type {string} */ id) => this.form.fields.get(id)?.value;
    for (const question of questionsOf(this.form.definition)) {
      const entry = this.controls.get(question.id);
      if (entry) entry.block.hidden = !isVisible(question, valueOf);
    }
    for (const section of this.questionsBox.querySelectorAll(".form-section")) {
      section.hidden = ![...section.querySelectorAll(".form-q")].some((block) => !block.hidden);
    }
    this.applyDisabled();
  }

  applyDisabled() {
    const locked = !!this.form.signed;
    for (const entry of this.controls?.values() || []) {
      if (entry.input) entry.input.disabled = locked;
      if (entry.inputs) for (const input of entry.inputs) input.disabled = locked;
    }
  }

  // Errors and notices -----------------------------------------------------------------------

  /**
   * @param {string} id the question
   * @param {string | null} code an error code, or null to clear it
   */
  showError(id, code) {
    const field = this.form.fields.get(id);
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
    for (const input of entry.input ? [entry.input] : entry.inputs || []) {
      if (code) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }

  /** @param {string} text @param {string} [kind] */
  setNotice(text, kind = "info") {
    this.notice.textContent = text;
    this.notice.dataset.kind = kind;
  }

  /** @param {string | undefined} id */
  focusQuestion(id) {
    const entry = id && this.controls?.get(id);
    if (!entry) return;
    const target = entry.input || entry.inputs?.find((i) => i.checked) || entry.inputs?.[0];
    entry.block.scrollIntoView({ block: "center" });
    target?.focus({ preventScroll: true });
  }

  rememberFocus() {
    const active = /** @type {any} */ (document.activeElement);
    if (!active || !this.questionsBox.contains(active) || !active.id) return null;
    return { id: active.id, start: active.selectionStart, end: active.selectionEnd };
  }

  /** @param {{id: string, start: number | null, end: number | null} | null} saved */
  restoreFocus(saved) {
    if (!saved) return;
    const node = /** @type {any} */ (document.getElementById(saved.id));
    if (!node) return;
    node.focus({ preventScroll: true });
    try {
      if (saved.start !== null && saved.start !== undefined) node.setSelectionRange(saved.start, saved.end);
    } catch {
      /* not a text field */
    }
  }

  /** The line at the top: "Saving…", "Saved", or offline. */
  updateSaved() {
    const { writes, edited } = this.form;
    const busy = writes.busy();
    const state = writes.offline ? "offline" : busy ? "saving" : edited ? "saved" : "";
    this.savedLine.dataset.state = state;
    this.savedLine.textContent = {
      offline: this.S.formOffline, saving: this.S.formSaving, saved: this.S.formSaved,
    }[state] || "";
  }

  /**
   * @param {string} view form, review or sign
   * @param {{focus?: boolean}} [options]
   */
  setView(view, { focus = true } = {}) {
    this.view = view;
    this.root.dataset.view = this.form.signed && view === "form" ? "signed" : view;
    this.stage.classList.toggle("call__stage--signing", view === "sign");
    this.formView.hidden = view !== "form";
    this.reviewView.hidden = view !== "review";
    this.signView.hidden = view !== "sign";
    if (!focus) return;
    this.body.scrollTop = 0;
    const heading = { form: this.title, review: this.reviewView.querySelector("h3"), sign: this.signView.querySelector("h3") }[view];
    heading?.focus({ preventScroll: true });
  }
}
