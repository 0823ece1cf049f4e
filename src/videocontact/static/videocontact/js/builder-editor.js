// The questionnaire builder's editor (builder.js): the definition as cards — the questionnaire
// (title, description, code, languages), its sections and their questions (texts in every
// language side by side, type, id, required, help, options, limits, the "show if" condition) —
// with reordering by buttons and by dragging (SortableJS). Every edit changes the definition in
// place and calls `changed`; edits that change the shape ask for a new render.
import Sortable from "../vendor/sortablejs/sortable.core.esm.js";
import { button, field, fmt, h, nextId, select } from "./builder-dom.js";
import {
  CHOICE, STATUSES, TEXT, TYPES, earlierAnswerable, firstAnswer, languagesOf, moveQuestion, removeLanguage,
  setType, uniqueId,
} from "./builder-model.js";

/**
 * @param {{editor: HTMLElement, definition: () => any, changed: (options?: {rerender?: boolean}) => void,
 *          strings: Record<string, string>, languageChoices: [string, string][]}} options
 *   `languageChoices`: every language a questionnaire may have, [code, name]
 * @returns {{render: () => void}}
 */
export function createEditor({ editor, definition, changed, strings: S, languageChoices }) {
  /** @type {Record<string, string>} */
  const LANGUAGE_NAMES = Object.fromEntries(languageChoices);
  /** @type {any} the definition being shown (set by each render) */
  let def = definition();
  /** @type {import("../vendor/sortablejs/sortable.core.esm.js").default[]} */
  let sortables = [];
  const languages = () => languagesOf(def);
  const questionName = (n) => fmt(S.questionN, { n, type: "" }).replace(/ · $/, "");

  // Texts in every language, side by side -----------------------------------------------------

  function texts(node, key, legend, { optional = false, multiline = false } = {}) {
    const inputs = languages().map((language) => {
      const id = nextId();
      const props = {
        id, lang: language, dir: language === "ar" || language === "fa" ? "rtl" : "ltr",
        oninput: (event) => {
          const value = event.target.value;
          node[key] = node[key] || {};
          if (value.trim()) node[key][language] = value;
          else delete node[key][language];
          if (optional && !Object.keys(node[key]).length) delete node[key];
          changed();
        },
      };
      const control = multiline ? h("textarea", { ...props, rows: 2 }) : h("input", props);
      control.value = (node[key] || {})[language] || "";
      return h("div", { class: "b-text" },
        h("label", { for: id },
          h("span", { text: LANGUAGE_NAMES[language] || language }),
          h("span", { class: `b-status b-status--${def.languages[language]}`, text: S[`status_${def.languages[language]}`] })),
        control);
    });
    return h("fieldset", { class: "b-texts" }, h("legend", { text: legend }), inputs);
  }

  // The questionnaire as a whole ---------------------------------------------------------------

  function metaCard() {
    const code = h("input", { value: def.code, pattern: "[a-z0-9][a-z0-9-]{1,63}",
      oninput: (event) => { def.code = event.target.value.trim(); changed(); } });
    const rows = languages().map((language) => h("li", { class: "b-language" },
      h("span", { class: "b-language__name", text: LANGUAGE_NAMES[language] || language }),
      field(fmt(S.languageStatus, { language: LANGUAGE_NAMES[language] }),
        select(STATUSES.map((s) => [s, S[`status_${s}`]]), def.languages[language], (value) => {
          def.languages[language] = value;
          changed({ rerender: true });
        })),
      languages().length > 1 ? button(S.remove, () => { removeLanguage(def, language); changed({ rerender: true }); },
        { "aria-label": fmt(S.removeLanguage, { language: LANGUAGE_NAMES[language] }) }) : null));
    const missing = languageChoices.filter(([code_]) => !(code_ in def.languages));
    const adder = missing.length ? h("div", { class: "b-row" },
      field(S.addLanguage, select([["", S.chooseLanguage], ...missing], "", (value) => {
        if (!value) return;
        def.languages[value] = "machine";
        changed({ rerender: true });
      }))) : null;
    return h("section", { class: "card card--compact b-meta", "data-path": "$", "aria-label": S.aboutForm },
      h("h2", { text: S.aboutForm }),
      h("p", { class: "b-error", hidden: true }),
      texts(def, "title", S.title),
      texts(def, "description", S.description, { optional: true, multiline: true }),
      field(S.code, code),
      h("h3", { text: S.languages }), h("ul", { class: "b-languages" }, rows), adder);
  }

  // Sections and questions -------------------------------------------------------------------

  function sectionCard(section, s) {
    const list = h("ol", { class: "b-questions", "data-section": s },
      section.questions.map((q, i) => questionCard(q, s, i)));
    return h("section", { class: "card card--compact b-section", "data-path": `$.sections[${s}]`,
                          "aria-label": fmt(S.sectionN, { n: s + 1 }) },
      h("div", { class: "b-head" }, h("h2", { text: fmt(S.sectionN, { n: s + 1 }) }),
        def.sections.length > 1 ? button(S.removeSection, () => {
          def.sections.splice(s, 1);
          changed({ rerender: true });
        }) : null),
      h("p", { class: "b-error", hidden: true }),
      texts(section, "title", S.sectionTitle),
      list,
      button(S.addQuestion, () => {
        section.questions.push({ id: uniqueId(def, "vraag"), type: "short_text", label: { [languages()[0]]: S.newQuestion } });
        changed({ rerender: true });
        /** @type {HTMLElement | null} */ (editor.querySelector(`[data-path="$.sections[${s}].questions[${section.questions.length - 1}]"] input`))?.focus();
      }, { class: "button button--secondary button--small b-add" }));
  }

  function questionCard(q, s, i) {
    const n = def.sections.slice(0, s).reduce((sum, section) => sum + section.questions.length, 0) + i + 1;
    const title = fmt(S.questionN, { n, type: S[`type_${q.type}`] });
    const move = (delta) => {
      const target = moveQuestion(def, s, i, delta);
      if (!target) return;
      changed({ rerender: true });
      /** @type {HTMLElement | null} */ (editor.querySelector(`[data-path="$.sections[${target[0]}].questions[${target[1]}]"] .b-move-${delta < 0 ? "up" : "down"}`))?.focus();
    };
    const typeSelect = select(TYPES.map((t) => [t, S[`type_${t}`]]), q.type, (value) => {
      setType(q, value, (k) => ({ [languages()[0]]: fmt(S.optionN, { n: k }) }));
      changed({ rerender: true });
    });
    const idInput = h("input", { value: q.id, oninput: (event) => { q.id = event.target.value.trim(); changed(); } });
    const required = h("input", { type: "checkbox", checked: Boolean(q.required),
      onchange: (event) => { if (event.target.checked) q.required = true; else delete q.required; changed(); } });
    const requiredId = nextId();
    required.id = requiredId;
    return h("li", { class: "b-question", "data-path": `$.sections[${s}].questions[${i}]` },
      h("div", { class: "b-head" },
        h("span", { class: "b-handle", "aria-hidden": "true", title: S.drag, text: "⠿" }),
        h("h3", { text: title }),
        h("span", { class: "b-tools" },
          button(S.moveUp, () => move(-1), { class: "button button--secondary button--small b-move-up", "aria-label": `${S.moveUp}: ${questionName(n)}` }),
          button(S.moveDown, () => move(1), { class: "button button--secondary button--small b-move-down", "aria-label": `${S.moveDown}: ${questionName(n)}` }),
          button(S.remove, () => { def.sections[s].questions.splice(i, 1); changed({ rerender: true }); },
            { "aria-label": `${S.remove}: ${questionName(n)}` }))),
      h("p", { class: "b-error", hidden: true }),
      texts(q, "label", S.questionText, { multiline: q.type === "info" }),
      h("div", { class: "b-row" }, field(S.type, typeSelect), field(S.id, idInput),
        h("div", { class: "b-field b-check" }, required, h("label", { for: requiredId, text: S.required }))),
      texts(q, "help", S.help, { optional: true }),
      CHOICE.has(q.type) ? optionsBox(q) : null,
      limitsBox(q),
      conditionBox(q, s, i));
  }

  function optionsBox(q) {
    return h("fieldset", { class: "b-options" }, h("legend", { text: S.options }),
      q.options.map((option, k) => h("div", { class: "b-option" },
        texts(option, "label", fmt(S.optionN, { n: k + 1 })),
        h("div", { class: "b-row" },
          field(fmt(S.optionValue, { n: k + 1 }), h("input", { value: option.value,
            oninput: (event) => { option.value = event.target.value.trim(); changed(); } })),
          q.options.length > 2 ? button(S.remove, () => { q.options.splice(k, 1); changed({ rerender: true }); },
            { "aria-label": `${S.remove}: ${fmt(S.optionN, { n: k + 1 })}` }) : null))),
      button(S.addOption, () => {
        let n = q.options.length + 1;
        while (q.options.some((o) => o.value === `keuze_${n}`)) n += 1;
        q.options.push({ value: `keuze_${n}`, label: { [languages()[0]]: fmt(S.optionN, { n }) } });
        changed({ rerender: true });
      }));
  }

  function numberInput(q, key) {
    return h("input", { type: "number", value: q[key] ?? "", oninput: (event) => {
      const value = event.target.value;
      if (value === "") delete q[key]; else q[key] = Number(value);
      changed();
    } });
  }

  function limitsBox(q) {
    if (TEXT.has(q.type)) return h("div", { class: "b-row" }, field(S.maxLength, numberInput(q, "max_length")));
    if (q.type === "number") return h("div", { class: "b-row" }, field(S.min, numberInput(q, "min")), field(S.max, numberInput(q, "max")));
    return null;
  }

  function conditionBox(q, s, i) {
    const earlier = earlierAnswerable(def, s, i);
    if (!earlier.length) return null;
    const language = languages()[0];
    const source = earlier.find((other) => other.id === q.show_if?.question);
    /** @type {[string, string][]} */
    const questions = earlier.map((other) => [other.id, (other.label || {})[language] || other.id]);
    const questionSelect = select([["", S.always], ...questions],
      q.show_if?.question || "", (value) => {
        const other = earlier.find((o) => o.id === value);
        if (!other) delete q.show_if;
        else q.show_if = { question: value, equals: firstAnswer(other) };
        changed({ rerender: true });
      });
    let equals = null;
    if (source) {
      const choices = source.type === "yes_no" ? [["true", S.yes], ["false", S.no]]
        : source.options ? source.options.map((o) => [o.value, (o.label || {})[language] || o.value]) : null;
      equals = choices
        ? field(S.equals, select(choices, String(q.show_if.equals), (value) => {
          q.show_if.equals = source.type === "yes_no" ? value === "true" : value;
          changed();
        }))
        : field(S.equals, h("input", { value: String(q.show_if.equals ?? ""), oninput: (event) => {
          q.show_if.equals = source.type === "number" && event.target.value !== "" ? Number(event.target.value) : event.target.value;
          changed();
        } }));
    }
    return h("div", { class: "b-row b-condition" }, field(S.showIf, questionSelect), equals);
  }

  // Rendering, reordering ---------------------------------------------------------------------

  function render() {
    def = definition();
    for (const sortable of sortables) sortable.destroy();
    editor.replaceChildren(metaCard(), ...def.sections.map(sectionCard),
      button(S.addSection, () => {
        def.sections.push({ id: uniqueId(def, "deel"), title: { [languages()[0]]: fmt(S.sectionN, { n: def.sections.length + 1 }) },
                            questions: [{ id: uniqueId(def, "vraag"), type: "short_text", label: { [languages()[0]]: S.newQuestion } }] });
        changed({ rerender: true });
      }, { class: "button button--secondary b-add-section" }));
    sortables = [...editor.querySelectorAll(".b-questions")].map((list) => Sortable.create(/** @type {HTMLElement} */ (list), {
      group: "questions", handle: ".b-handle", animation: 120,
      onEnd: (event) => {
        const from = def.sections[Number(event.from.dataset.section)].questions;
        const to = def.sections[Number(event.to.dataset.section)].questions;
        const [question] = from.splice(event.oldIndex, 1);
        to.splice(event.newIndex, 0, question);
        changed({ rerender: true });
      },
    }));
  }

  return { render };
}
