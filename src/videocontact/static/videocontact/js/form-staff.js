// The caseworker's live view of the questionnaire in the staff panel: the resident's answers as
// they are typed (read-only, the changed one lit up for a moment), the signature, "Read aloud"
// on the resident's phone, "Take a photo" at a photo question, and the internal notes.
import { ANSWERABLE, isEmpty, isVisible, questionsOf } from "./form-model.js";
import { answerText, dateTimeText, fmt, fmtNodes, h, pick } from "./form-text.js";

const NOTES_DELAY_MS = 600;
const HIGHLIGHT_MS = 2600;

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
    this.photoCounts = {}; // question id → photos kept for it (the photo panel tells, gallery.js)
    document.addEventListener("vc:photo-questions", (event) => {
      this.photoCounts = /** @type {CustomEvent} */ (event).detail.counts;
      this.refreshPhotoCells();
    });
    this.build();
  }

  refreshPhotoCells() {
    if (!this.definition) return;
    for (const q of questionsOf(this.definition).filter((x) => x.type === "photo")) {
      const cell = this.answersBox.querySelector(`[data-question="${CSS.escape(q.id)}"] dd`);
      if (cell) cell.replaceWith(this.answerCell(q));
    }
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
      // A caseworker needs the time, not a hex digest: the hash is in a disclosure for the record.
      h("details", { class: "form-staff__hash" },
        h("summary", { text: S.formStaffHash }),
        h("code", { class: "form-hash form-hash--full", dir: "ltr", text: this.signed.sha256 })),
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
      const count = this.photoCounts[q.id] || 0;
      const state = count
        ? h("span", { text: count === 1 ? S.formStaffPhotoTaken : fmt(S.formStaffPhotosTaken, { n: count }) })
        : h("span", { class: "form-staff__empty", text: S.formStaffPhoto });
      return h("dd", { class: "form-staff__photo" }, state, " ",
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
