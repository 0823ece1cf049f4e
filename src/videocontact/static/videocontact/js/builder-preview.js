// The builder's phone preview: the resident's own form sheet (form.js), fed by the builder page
// (same origin, postMessage) instead of a call. Answers stay in this page; show_if works as in
// a call because the sheet applies conditions itself. `mount(config)` (builder-preview-entry.js).
import { mountForm } from "./form.js";

/**
 * The preview in the builder's iframe.
 * @param {{strings: Record<string, string>, stage: HTMLElement}} config the page's strings and
 *   the stage the sheet goes on
 */
export function mount({ strings, stage }) {
  /** @type {any} */
  let form = null;
  let version = 0;

  const socket = {
    /** @param {string} type @param {Record<string, any>} [payload] */
    send(type, payload = {}) {
      if (!form) return false;
      if (type === "form-answer") {
        // Echo the save as the server would, so the sheet shows "Saved".
        setTimeout(() => form.handle({ type: "form-answer", question: payload.question,
                                       value: payload.value, version: payload.base + 1 }), 0);
      } else if (type === "form-language") {
        form.handle({ type: "form-language", language: payload.language });
      }
      return true;
    },
  };

  /** @param {any} definition @param {string} language */
  function show(definition, language) {
    if (!form) form = mountForm({ role: "resident", socket, strings, stage });
    version += 1;
    const languages = Object.keys(definition.languages || {});
    form.handle({
      type: "form-state", questionnaire: "preview", template: definition.code || "preview", version,
      definition, language: languages.includes(language) ? language : languages[0] || "nl",
      answers: {}, signed: null,
    });
  }

  window.addEventListener("message", (event) => {
    if (event.origin !== window.location.origin) return;
    const data = event.data || {};
    if (data.type !== "builder-preview" || !data.definition) return;
    try {
      show(data.definition, document.documentElement.lang);
    } catch (error) {
      console.warn("preview", error);
    }
  });
  window.parent.postMessage({ type: "builder-preview-ready" }, window.location.origin);
}
