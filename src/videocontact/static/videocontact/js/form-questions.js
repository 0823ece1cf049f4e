// One question of the resident's sheet as form controls: build them, read the value they hold,
// and write a value into them without disturbing the resident's typing. Used by form-view.js.
import { isEmpty, same } from "./form-model.js";
import { add, h, numberInputText, parseNumber, pick } from "./form-text.js";

const CHOICE_TYPES = new Set(["yes_no", "single_choice", "multiple_choice"]);
const DEFAULT_MAX_LENGTH = { short_text: 200, long_text: 4000 }; // as the server (answers.py)

/**
 * The controls of one question: its block, the input (text, number, date) or the inputs of a
 * choice, the error line and the help text's id.
 * @typedef {{block: HTMLElement, error?: HTMLElement, helpId?: string | null, input?: any,
 *   inputs?: HTMLInputElement[], group?: HTMLElement}} Controls
 */

/**
 * What a question's controls tell the sheet.
 * @typedef {object} QuestionEvents
 * @property {(id: string, value: any, typing: boolean) => void} change a choice or date changed
 * @property {(q: any) => void} typing a text or number field is being typed in
 * @property {(q: any) => void} blur a text or number field lost focus
 * @property {(q: any, button: HTMLElement) => void} speak "Read aloud"
 * @property {(controls: Controls, q: any) => any} read the value the controls hold now
 */

/**
 * The block of one question, or null for the signature (signed at the end).
 * @param {any} q the question
 * @param {string} language the questionnaire language
 * @param {Record<string, string>} words fixed words in that language (yes, no, required, …)
 * @param {QuestionEvents} events
 * @returns {Controls | null}
 */
export function renderQuestion(q, language, words, events) {
  if (q.type === "signature") return null; // the declaration is signed at the end
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
      onclick: (/** @type {Event} */ event) => events.speak(q, /** @type {HTMLElement} */ (event.currentTarget)),
    }),
    h("span", { class: "form-q__speak-note", role: "status", hidden: true, text: words.noVoice }));
  if (q.type === "info") {
    add(block, h("p", { class: "form-info" }, label), help, speak);
    return { block };
  }
  if (q.type === "photo") {
    add(block, h("p", { class: "form-q__label", text: label }), help,
      h("p", { class: "form-photo", text: words.photo }));
    return { block };
  }
  const required = q.required ? h("span", { class: "form-q__required", text: ` ${words.required}` }) : null;
  const error = h("p", { id: `${base}-error`, class: "form-q__error error", "data-chrome": true, hidden: true });
  /** @type {Controls} */
  const entry = { block, error, helpId };
  if (CHOICE_TYPES.has(q.type)) {
    const options = q.type === "yes_no"
      ? [{ value: "true", text: words.yes }, { value: "false", text: words.no }]
      : q.options.map((/** @type {any} */ o) => ({ value: o.value, text: pick(o.label, language) }));
    const kind = q.type === "multiple_choice" ? "checkbox" : "radio";
    const inputs = options.map((/** @type {any} */ option, /** @type {number} */ index) => h("input", {
      type: kind, id: `${base}-o${index}`, name: base, value: option.value,
      onchange: () => events.change(q.id, events.read(entry, q), false),
    }));
    entry.inputs = inputs;
    entry.group = h("fieldset", { class: "form-q__set", "aria-describedby": helpId },
      h("legend", { class: "form-q__label" }, label, required),
      help, speak,
      h("div", { class: `form-q__options${q.type === "yes_no" ? " form-q__options--pair" : ""}` },
        options.map((/** @type {any} */ option, /** @type {number} */ index) => h("label", { class: "form-choice", for: `${base}-o${index}` },
          inputs[index], h("span", { class: "form-choice__text", text: option.text })))),
      error);
    add(block, entry.group);
    return entry;
  }
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
    input.addEventListener("change", () => events.change(q.id, input.value || null, false));
  } else {
    input.addEventListener("input", () => events.typing(q));
    input.addEventListener("blur", () => events.blur(q));
  }
  add(block, h("label", { for: inputId, class: "form-q__label" }, label, required), help, speak, input, error);
  return entry;
}

/**
 * The value the controls hold (a number field half-typed: NaN).
 * @param {Controls} entry
 * @param {string} type the question type
 * @param {string} language
 */
export function readControl(entry, type, language) {
  if (type === "number") return parseNumber(entry.input.value, language);
  if (type === "date") return entry.input.value || null;
  if (type === "short_text" || type === "long_text") return entry.input.value;
  const checked = (entry.inputs || []).filter((input) => input.checked).map((input) => input.value);
  if (type === "yes_no") return checked.length ? checked[0] === "true" : null;
  if (type === "single_choice") return checked[0] ?? null;
  return checked; // multiple_choice, in template order
}

/**
 * Show `value` in the controls; a text field that already says it is left alone (caret, typing).
 * @param {Controls} entry
 * @param {string} type
 * @param {any} value
 * @param {string} language
 */
export function writeControl(entry, type, value, language) {
  if (entry.input) {
    const current = readControl(entry, type, language);
    if (same(current, value) && !(type === "number" && Number.isNaN(current))) return; // keep caret and typing
    if (type === "number") entry.input.value = numberInputText(value, language);
    else entry.input.value = isEmpty(value) ? "" : String(value);
    return;
  }
  for (const input of entry.inputs || []) {
    if (type === "yes_no") input.checked = value !== null && value !== undefined && String(value) === input.value;
    else if (type === "single_choice") input.checked = value === input.value;
    else input.checked = Array.isArray(value) && value.includes(input.value);
  }
}
