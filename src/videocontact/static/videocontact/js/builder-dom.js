// Small DOM helpers of the questionnaire builder (builder.js): elements, labelled fields,
// selects and buttons. They only make elements when called.

let uid = 0;
/** A new element id, unique on the page. */
export const nextId = () => `b${++uid}`;

/**
 * h("p", {class: "x", text: "…", onclick: fn}, child, …): children that are falsy are left out.
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...any} children
 * @returns {any}
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

/** @param {string} template @param {Record<string, any>} values */
export function fmt(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

/** A labelled field around a control. @param {string} labelText @param {HTMLElement} control */
export function field(labelText, control) {
  const id = nextId();
  control.id = id;
  return h("div", { class: "b-field" }, h("label", { for: id, text: labelText }), control);
}

/**
 * @param {[string, string][]} options [value, label] pairs
 * @param {string} value the chosen one
 * @param {(value: string) => void} onchange
 */
export function select(options, value, onchange) {
  const node = h("select", { onchange: (/** @type {any} */ event) => onchange(event.target.value) });
  for (const [optionValue, label] of options) {
    node.append(h("option", { value: optionValue, text: label, selected: optionValue === value }));
  }
  return node;
}

/**
 * @param {string} text
 * @param {(event: Event) => void} onclick
 * @param {Record<string, any>} [extra]
 */
export function button(text, onclick, extra = {}) {
  return h("button", { type: "button", class: "button button--secondary button--small", onclick, ...extra }, text);
}
