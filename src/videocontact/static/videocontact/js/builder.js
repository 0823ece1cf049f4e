// Questionnaire builder for functional administrators: edits one questionnaire definition (the
// JSON of questionnaires/schema/questionnaire.schema.json) as a form, shows it live in a phone
// preview (builder-preview.js, the resident's own renderer), checks it on the server after each
// change (errors at the question they belong to) and publishes it as a new version.
// `mount(config)` (builder-entry.js, with the page's "builder-config" and "builder-strings").
import Sortable from "../vendor/sortablejs/sortable.core.esm.js";
import { Drafts } from "./builder-drafts.js";
import { button, field, fmt, h, nextId, select } from "./builder-dom.js";

const TYPES = ["short_text", "long_text", "number", "date", "yes_no", "single_choice",
               "multiple_choice", "info", "photo", "signature"];
const CHOICE = new Set(["single_choice", "multiple_choice"]);
const TEXT = new Set(["short_text", "long_text"]);
const ANSWERABLE = new Set(["short_text", "long_text", "number", "date", "yes_no",
                            "single_choice", "multiple_choice"]);
const STATUSES = ["source", "reviewed", "machine"];
const CHECK_DELAY_MS = 400;

// The page's config, strings and elements, and the definition being edited: set by `mount`.
/** @type {any} */
let config;
/** @type {Record<string, string>} */
let S;
/** @type {Record<string, string>} */
let LANGUAGE_NAMES;
/** @type {any} */
let def;
/** @type {any} */
let timer = null;
let previewReady = false;
/** @type {import("../vendor/sortablejs/sortable.core.esm.js").default[]} */
let sortables = [];
/** @type {HTMLElement} */
let editor;
/** @type {HTMLElement} */
let statusBox;
/** @type {HTMLIFrameElement} */
let preview;
/** @type {HTMLSelectElement} */
let previewLanguage;
/** @type {string} */
let csrf;
/** @type {Drafts} */
let drafts;

const languages = () => Object.keys(def.languages);
const allQuestions = () => def.sections.flatMap((section) => section.questions);

function uniqueId(prefix) {
  const taken = new Set([...allQuestions().map((q) => q.id), ...def.sections.map((s) => s.id)]);
  let n = 1;
  while (taken.has(`${prefix}_${n}`)) n += 1;
  return `${prefix}_${n}`;
}

/** After every edit: preview, check and keep the draft (an edit also makes leaving ask first). */
function changed({ rerender = false, edit = true } = {}) {
  if (rerender) render();
  if (edit) drafts.dirty = true;
  clearTimeout(timer);
  timer = setTimeout(() => {
    sendPreview();
    check();
    if (drafts.dirty) drafts.keep(def);
  }, CHECK_DELAY_MS);
}

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
    languages().length > 1 ? button(S.remove, () => removeLanguage(language),
      { "aria-label": fmt(S.removeLanguage, { language: LANGUAGE_NAMES[language] }) }) : null));
  const missing = config.languages.filter(([code_]) => !(code_ in def.languages));
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

function removeLanguage(language) {
  delete def.languages[language];
  const strip = (text) => { if (text) delete text[language]; };
  strip(def.title); strip(def.description);
  for (const section of def.sections) {
    strip(section.title);
    for (const q of section.questions) {
      strip(q.label); strip(q.help);
      for (const option of q.options || []) strip(option.label);
    }
  }
  changed({ rerender: true });
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
      section.questions.push({ id: uniqueId("vraag"), type: "short_text", label: { [languages()[0]]: S.newQuestion } });
      changed({ rerender: true });
      /** @type {HTMLElement | null} */ (editor.querySelector(`[data-path="$.sections[${s}].questions[${section.questions.length - 1}]"] input`))?.focus();
    }, { class: "button button--secondary button--small b-add" }));
}

function questionCard(q, s, i) {
  const n = def.sections.slice(0, s).reduce((sum, section) => sum + section.questions.length, 0) + i + 1;
  const title = fmt(S.questionN, { n, type: S[`type_${q.type}`] });
  const move = (delta) => {
    const flat = def.sections.flatMap((section, sIndex) => section.questions.map((_, qIndex) => [sIndex, qIndex]));
    const at = flat.findIndex(([a, b]) => a === s && b === i);
    const target = flat[at + delta];
    if (!target) return;
    const [question] = def.sections[s].questions.splice(i, 1);
    def.sections[target[0]].questions.splice(target[1], 0, question);
    changed({ rerender: true });
    /** @type {HTMLElement | null} */ (editor.querySelector(`[data-path="$.sections[${target[0]}].questions[${target[1]}]"] .b-move-${delta < 0 ? "up" : "down"}`))?.focus();
  };
  const typeSelect = select(TYPES.map((t) => [t, S[`type_${t}`]]), q.type, (value) => {
    q.type = value;
    if (CHOICE.has(value) && !q.options) {
      q.options = [1, 2].map((k) => ({ value: `keuze_${k}`, label: { [languages()[0]]: fmt(S.optionN, { n: k }) } }));
    }
    if (!CHOICE.has(value)) delete q.options;
    if (!TEXT.has(value)) delete q.max_length;
    if (value !== "number") { delete q.min; delete q.max; }
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
        button(S.moveUp, () => move(-1), { class: "button button--secondary button--small b-move-up", "aria-label": `${S.moveUp}: ${fmt(S.questionN, { n, type: "" }).replace(/ · $/, "")}` }),
        button(S.moveDown, () => move(1), { class: "button button--secondary button--small b-move-down", "aria-label": `${S.moveDown}: ${fmt(S.questionN, { n, type: "" }).replace(/ · $/, "")}` }),
        button(S.remove, () => { def.sections[s].questions.splice(i, 1); changed({ rerender: true }); },
          { "aria-label": `${S.remove}: ${fmt(S.questionN, { n, type: "" }).replace(/ · $/, "")}` }))),
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
  const earlier = def.sections.flatMap((section, a) => section.questions.filter((_, b) => a < s || (a === s && b < i)))
    .filter((other) => ANSWERABLE.has(other.type));
  if (!earlier.length) return null;
  const language = languages()[0];
  const source = earlier.find((other) => other.id === q.show_if?.question);
  const questionSelect = select([["", S.always], ...earlier.map((other) => [other.id, (other.label || {})[language] || other.id])],
    q.show_if?.question || "", (value) => {
      const other = earlier.find((o) => o.id === value);
      if (!other) delete q.show_if;
      else q.show_if = { question: value, equals: other.type === "yes_no" ? true : (other.options ? other.options[0].value : "") };
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
  for (const sortable of sortables) sortable.destroy();
  editor.replaceChildren(metaCard(), ...def.sections.map(sectionCard),
    button(S.addSection, () => {
      def.sections.push({ id: uniqueId("deel"), title: { [languages()[0]]: fmt(S.sectionN, { n: def.sections.length + 1 }) },
                          questions: [{ id: uniqueId("vraag"), type: "short_text", label: { [languages()[0]]: S.newQuestion } }] });
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

// Preview, check, publish, import and export ---------------------------------------------------

function sendPreview() {
  if (previewReady) preview.contentWindow.postMessage({ type: "builder-preview", definition: def }, window.location.origin);
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body),
  });
  return response.json();
}

function showProblem(result) {
  for (const node of editor.querySelectorAll(".b-error")) { /** @type {HTMLElement} */ (node).hidden = true; node.textContent = ""; }
  for (const node of editor.querySelectorAll(".b-invalid")) node.classList.remove("b-invalid");
  if (result.ok) return null;
  // The longest element path that the error's JSON path starts with: the question, else its
  // section, else the questionnaire as a whole.
  const cards = [.../** @type {NodeListOf<HTMLElement>} */ (editor.querySelectorAll("[data-path]"))]
    .filter((node) => result.path === node.dataset.path || result.path.startsWith(`${node.dataset.path}.`) || result.path.startsWith(`${node.dataset.path}[`))
    .sort((a, b) => b.dataset.path.length - a.dataset.path.length);
  const card = cards[0] || editor.querySelector('[data-path="$"]');
  /** @type {HTMLElement} */
  const box = card.querySelector(":scope > .b-error");
  box.textContent = `${S.problem} ${result.message}`;
  if (result.technical && result.technical !== result.message) box.title = `${result.path}: ${result.technical}`;
  box.hidden = false;
  card.classList.add("b-invalid");
  return card;
}

async function check() {
  try {
    const result = await post(config.checkUrl, { definition: def });
    showProblem(result);
    statusBox.textContent = result.ok ? S.checkOk : S.checkProblem;
    statusBox.dataset.state = result.ok ? "ok" : "problem";
  } catch {
    statusBox.textContent = S.checkFailed;
  }
}

/**
 * The builder on this page.
 * @param {{config: any, strings: Record<string, string>}} page the page's "builder-config" and "builder-strings"
 */
export function mount({ config: pageConfig, strings }) {
  config = pageConfig;
  S = strings;
  LANGUAGE_NAMES = Object.fromEntries(config.languages);
  def = structuredClone(config.definition);
  editor = /** @type {HTMLElement} */ (document.getElementById("builder-editor"));
  statusBox = /** @type {HTMLElement} */ (document.getElementById("builder-status"));
  preview = /** @type {HTMLIFrameElement} */ (document.getElementById("builder-preview"));
  previewLanguage = /** @type {HTMLSelectElement} */ (document.getElementById("preview-language"));
  csrf = /** @type {HTMLInputElement} */ (document.querySelector("[name=csrfmiddlewaretoken]")).value;
  drafts = new Drafts({
    key: config.draftKey, number: config.number, definition: config.definition, strings: S,
    box: /** @type {HTMLElement} */ (document.getElementById("builder-draft")),
    note: /** @type {HTMLElement} */ (document.getElementById("builder-draft-note")),
    restore: (definition) => { def = definition; changed({ rerender: true }); },
  });
  window.addEventListener("message", (event) => {
    if (event.origin !== window.location.origin || event.source !== preview.contentWindow) return;
    if (event.data?.type === "builder-preview-ready") {
      previewReady = true;
      sendPreview();
    }
  });
  for (const [code, name] of config.languages) previewLanguage.append(h("option", { value: code, text: name }));
  previewLanguage.addEventListener("change", () => {
    previewReady = false;
    preview.src = `${config.previewUrl}?lang=${encodeURIComponent(previewLanguage.value)}`;
  });

  document.getElementById("builder-publish").addEventListener("click", async () => {
    try {
      const result = await post(config.publishUrl, { process: config.process, definition: def });
      if (!result.ok) {
        const card = showProblem(result);
        statusBox.textContent = S.publishProblem;
        statusBox.dataset.state = "problem";
        card?.scrollIntoView({ block: "center" });
        return;
      }
      statusBox.textContent = fmt(S.published, { n: result.number });
      statusBox.dataset.state = "ok";
      clearTimeout(timer); // a check still to come must not keep the published text as a draft
      drafts.publishedAs(result.number, def);
    } catch {
      statusBox.textContent = S.checkFailed;
    }
  });

  document.getElementById("builder-export").addEventListener("click", () => {
    const blob = new Blob([JSON.stringify(def, null, 2)], { type: "application/json" });
    const link = h("a", { href: URL.createObjectURL(blob), download: `${def.code || "vragenlijst"}.json` });
    document.body.append(link);
    link.click();
    link.remove();
  });

  document.getElementById("builder-import").addEventListener("change", async (event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    const file = input.files?.[0];
    if (!file) return;
    try {
      const data = JSON.parse(await file.text());
      if (!data || !Array.isArray(data.sections) || typeof data.languages !== "object") throw new Error("shape");
      def = data;
      changed({ rerender: true });
      statusBox.textContent = S.loaded;
    } catch {
      statusBox.textContent = S.loadFailed;
    }
    input.value = "";
  });

  render();
  changed({ edit: false });
  drafts.offer();
  window.vcBuilder = { definition: () => structuredClone(def) };
}
