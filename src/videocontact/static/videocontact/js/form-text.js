// Texts of the questionnaire for people: the template's texts in a language, answers as words,
// local numbers and dates, and a tiny DOM builder. Pure except `h`/`add`, which only make
// elements when called. Shared by the resident's sheet (form-view.js) and the staff view.
import { isEmpty } from "./form-model.js";

/** @typedef {Record<string, string>} Strings The page's translated strings. */
/** @typedef {Record<string, string> | null | undefined} Localised A template text per language. */

export const BCP47 = {
  nl: "nl-NL", en: "en-GB", ar: "ar", tr: "tr-TR", pl: "pl-PL", uk: "uk-UA", fa: "fa-IR", so: "so-SO",
  ti: "ti-ER",
};
const RTL_LANGUAGES = new Set(["ar", "fa"]);

/**
 * A DOM element: h("p", {class: "x", text: "…", onclick: fn, hidden: true}, child, …).
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...any} children
 * @returns {any} the element (typed loosely: callers know which kind they made)
 */
export function h(tag, props = {}, ...children) {
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

/**
 * Append children, leaving out null/undefined/false (Element.append would write "null").
 * @template {Element} T
 * @param {T} node
 * @param {...any} children
 * @returns {T}
 */
export function add(node, ...children) {
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/**
 * "{answered} of {total}" → text with the values filled in.
 * @param {string} template
 * @param {Record<string, any>} values
 */
export function fmt(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
}

/**
 * Like fmt, but values may be DOM nodes (e.g. a language name with its own lang attribute).
 * @param {string} template
 * @param {Record<string, any>} values
 * @returns {any[]}
 */
export function fmtNodes(template, values) {
  return String(template).split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const key = part.match(/^\{(\w+)\}$/)?.[1];
    return key && key in values ? values[key] : part;
  });
}

/**
 * @param {Localised} text
 * @param {string} language
 * @returns {string}
 */
export function pick(text, language) {
  if (!text) return "";
  return text[language] ?? text.nl ?? Object.values(text)[0] ?? "";
}

/** @param {string} language */
function locale(language) {
  return `${BCP47[language] || language}-u-nu-latn`; // digits as the resident typed them
}

/**
 * @param {any} question
 * @param {any} value
 * @param {string} language
 */
function optionLabel(question, value, language) {
  const option = (question.options || []).find((/** @type {any} */ o) => o.value === value);
  return option ? pick(option.label, language) : String(value);
}

/**
 * An answer as text for people: option labels, words for yes/no, local dates and numbers.
 * @param {any} question
 * @param {any} value
 * @param {string} language
 * @param {{yes: string, no: string}} words
 * @returns {string | null}
 */
export function answerText(question, value, language, words) {
  if (isEmpty(value)) return null;
  try {
    switch (question.type) {
      case "yes_no":
        return value === true ? words.yes : value === false ? words.no : String(value);
      case "single_choice":
        return optionLabel(question, value, language);
      case "multiple_choice": {
        const labels = value.map((/** @type {any} */ v) => optionLabel(question, v, language));
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

/**
 * @param {string} iso
 * @param {string} language
 */
export function dateTimeText(iso, language) {
  try {
    return new Intl.DateTimeFormat(locale(language), { dateStyle: "long", timeStyle: "short" })
      .format(new Date(iso));
  } catch {
    return iso;
  }
}

/** @param {string} language */
const COMMA_DECIMAL = (language) => language !== "en";

/**
 * "1.250,50" (nl) / "1,250.50" (en) / "١٢٥٠" → a number; "" → null; anything else → NaN.
 * @param {string} text
 * @param {string} language
 * @returns {number | null}
 */
export function parseNumber(text, language) {
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

/**
 * @param {any} value
 * @param {string} language
 */
export function numberInputText(value, language) {
  if (isEmpty(value)) return "";
  const text = String(value);
  return COMMA_DECIMAL(language) ? text.replace(".", ",") : text;
}

/** @param {string} language */
export function languageDirection(language) {
  return RTL_LANGUAGES.has(language) ? "rtl" : "ltr";
}
