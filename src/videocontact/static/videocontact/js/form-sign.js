// The end of the resident's questionnaire: a review of the answers, then the declarations and a
// finger signature (signature.js, loaded on demand), sent as `form-sign` once every answer is saved.
import { ANSWERABLE, isVisible, problems, questionsOf } from "./form-model.js";
import { answerText, h, pick } from "./form-text.js";

const SIGN_TIMEOUT_MS = 20000;

/** @typedef {import("./form.js").ResidentForm} ResidentForm */

export class Signing {
  /** @param {ResidentForm} form */
  constructor(form) {
    this.form = form;
    this.S = form.S;
    /** @type {{ref: string | null, timer: any} | null} a `form-sign` under way */
    this.pending = null;
    /** @type {{isEmpty(): boolean, clear(): void, export(): object, destroy(): void} | null} */
    this.pad = null;
    /** @type {HTMLElement | null} */
    this.signTexts = null;
  }

  get sheet() {
    return this.form.sheet;
  }

  /** Visible questions not answered, or refused: [[id, code], …]. */
  problems() {
    return problems(this.form.definition, this.form.fields);
  }

  startReview() {
    const sheet = this.sheet;
    this.form.speech.stop();
    this.form.writes.flushAll();
    const found = this.problems();
    if (found.length) {
      for (const [id, code] of found) sheet.showError(id, code);
      sheet.setNotice(this.S.formIncomplete, "alert");
      sheet.focusQuestion(found[0][0]);
      return;
    }
    sheet.setNotice("");
    this.renderReview();
    sheet.setView("review");
    import("./signature.js").catch(() => {}); // warm up for the next step
  }

  renderReview() {
    const S = this.S;
    const { definition, language } = this.form;
    const words = this.form.words();
    const valueOf = (/** @type {string} */ id) => this.form.fields.get(id)?.value;
    const sections = definition.sections.map((/** @type {any} */ section) => {
      const pairs = section.questions
        .filter((/** @type {any} */ q) => ANSWERABLE.has(q.type) && isVisible(q, valueOf))
        .map((/** @type {any} */ q) => {
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
    this.sheet.reviewView.replaceChildren(
      h("h3", { class: "form-view__title", tabindex: "-1", "data-chrome": true, text: S.formReviewTitle }),
      h("p", { class: "form-view__intro", "data-chrome": true, text: S.formReviewIntro }),
      ...sections.filter(Boolean),
      h("div", { class: "form-sheet__actions", "data-chrome": true },
        h("button", { type: "button", class: "button button--primary button--block", text: S.formToSign, onclick: () => this.startSigning() }),
        h("button", { type: "button", class: "button button--secondary button--block", text: S.formBack, onclick: () => this.sheet.setView("form") })),
    );
    this.sheet.applyLanguage();
  }

  startSigning() {
    const S = this.S;
    this.signTexts = h("div", { class: "form-declarations" });
    this.signIntro = h("p", { class: "form-view__intro", "data-chrome": true, text: S.formSignIntro });
    this.canvas = h("canvas", { class: "form-pad__canvas", role: "img", "aria-label": S.formSignBox });
    this.signError = h("p", { class: "form-sign__error error", role: "alert", hidden: true });
    this.signButton = h("button", { type: "button", class: "button button--primary button--block", text: S.formSign, onclick: () => this.sign() });
    this.sheet.signView.replaceChildren(
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
    this.sheet.applyLanguage();
    this.sheet.setView("sign");
    import("./signature.js").then(({ createSignature }) => {
      if (this.sheet.view !== "sign" || this.pad) return;
      this.pad = createSignature(this.canvas, { onStroke: () => { this.signError.hidden = true; } });
    }).catch(() => this.failed(S.formLoadFailed));
  }

  renderSignTexts() {
    if (!this.signTexts) return;
    const { definition, language } = this.form;
    const valueOf = (/** @type {string} */ id) => this.form.fields.get(id)?.value;
    const declarations = questionsOf(definition).filter((q) => q.type === "signature" && isVisible(q, valueOf));
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
    this.leave();
    this.sheet.setView("form");
  }

  /** Out of the signing step: no signature under way, the pad gone. */
  leave() {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = null;
    this.pad?.destroy();
    this.pad = null;
  }

  /** @param {string} message */
  failed(message) {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = null;
    if (!this.signButton) return;
    this.signButton.disabled = false;
    this.signButton.textContent = this.S.formSign;
    this.signError.textContent = message;
    this.signError.hidden = false;
  }

  async sign() {
    const S = this.S;
    const { writes, sheet } = this.form;
    if (this.pending) return;
    if (!this.pad || this.pad.isEmpty()) {
      this.signError.textContent = S.formSignEmpty;
      this.signError.hidden = false;
      return;
    }
    this.signError.hidden = true;
    this.signButton.disabled = true;
    this.signButton.textContent = S.formSigning;
    this.pending = { ref: null, timer: null };
    writes.flushAll();
    const saved = await writes.settled(8000);
    if (!this.pending) return;
    if (!saved) {
      this.failed(S.formOffline);
      return;
    }
    const found = this.problems(); // an answer was refused meanwhile: show it first
    if (found.length) {
      this.form.onIncomplete([]);
      for (const [id, code] of found) sheet.showError(id, code);
      sheet.focusQuestion(found[0][0]);
      return;
    }
    let payload;
    try {
      payload = this.pad.export();
    } catch {
      this.failed(S.formSignFailed);
      return;
    }
    const ref = writes.nextRef("s");
    this.pending.ref = ref;
    if (!writes.send("form-sign", { ...payload, ref })) {
      this.failed(S.formOffline);
      return;
    }
    this.pending.timer = setTimeout(() => this.failed(S.formSignFailed), SIGN_TIMEOUT_MS);
  }
}
