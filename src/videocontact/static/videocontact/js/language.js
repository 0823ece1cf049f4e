// Language access on the call page (language app): the caseworker's machine translation of the
// resident's written answers. Read aloud lives in form-speech.js; captions in captions.js.
// `mount(config)` (language-entry.js, with the page's "vc-language-config").

/**
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...any} children
 * @returns {any}
 */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** @param {string} template @param {Record<string, any>} values */
function fmt(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
}

/**
 * The caseworker's panel: choose a language, see each written answer beside its translation.
 * @param {HTMLElement} panel
 * @param {any} config
 */
function mountTranslate(panel, config) {
  const S = config.strings;
  const status = h("p", { class: "muted", role: "status", "aria-live": "polite" });
  const results = h("dl", { class: "translate-panel__list" });
  panel.append(h("p", { class: "muted translate-panel__intro", text: S.translateIntro }));
  if (!config.targets.length) {
    panel.append(h("p", { class: "muted", text: S.translateUnavailable }));
    panel.hidden = false;
    return;
  }
  const pageLanguage = document.documentElement.lang || "nl";
  const select = h("select", { id: "vc-translate-target", name: "target" },
    ...config.targets.map((t) => h("option", { value: t.code, text: t.name, selected: t.code === pageLanguage })));
  const button = h("button", { type: "button", class: "button button--secondary", text: S.translateButton });
  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = S.translateBusy;
    results.replaceChildren();
    try {
      const response = await fetch(config.translateUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": config.csrfToken },
        body: new URLSearchParams({ target: select.value }),
      });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      const entries = Object.entries(data.answers);
      status.textContent = entries.length ? "" : S.translateNone;
      for (const [id, item] of entries) {
        const translated = item.error
          ? h("p", { class: "translate-panel__error", text: S.translateNoPair })
          : h("p", { class: "translate-panel__machine", lang: data.target },
            h("span", { class: "badge badge--machine", text: fmt(S.translateMachine, { engine: item.engine }) }),
            " ", item.text);
        results.append(h("div", { class: "translate-panel__item", "data-question": id },
          h("dt", { text: item.label || id }),
          h("dd", {},
            h("p", { class: "translate-panel__original", lang: data.source, dir: "auto" },
              h("span", { class: "badge", text: S.translateOriginal }), " ", item.original),
            translated)));
      }
    } catch {
      status.textContent = S.translateFailed;
    } finally {
      button.disabled = false;
    }
  });
  panel.append(
    h("div", { class: "field translate-panel__controls" },
      h("label", { for: "vc-translate-target", text: S.translateInto }), select, button),
    status, results);
  panel.hidden = false;
}

/** @param {any} config the language app's call config (language/templatetags), or null */
export function mount(config) {
  if (!config?.strings) return;
  const panel = document.getElementById("vc-translate");
  if (panel) mountTranslate(panel, config);
}
