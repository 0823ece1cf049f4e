// Questionnaire builder for functional administrators: edits one questionnaire definition (the
// JSON of questionnaires/schema/questionnaire.schema.json) as a form, shows it live in a phone
// preview (builder-preview.js, the resident's own renderer), checks it on the server after each
// change (errors at the question they belong to) and publishes it as a new version.
// `mount(config)` (builder-entry.js, with the page's "builder-config" and "builder-strings").
// The parts: builder-editor.js (the cards), builder-model.js (edits of the definition, no DOM),
// builder-drafts.js (unpublished changes kept in this browser), builder-dom.js (DOM helpers).
import { Drafts } from "./builder-drafts.js";
import { fmt, h } from "./builder-dom.js";
import { createEditor } from "./builder-editor.js";
import { looksLikeDefinition, owningPath } from "./builder-model.js";

const CHECK_DELAY_MS = 400;

/**
 * The builder on this page.
 * @param {{config: any, strings: Record<string, string>}} page the page's "builder-config" and "builder-strings"
 */
export function mount({ config, strings: S }) {
  /** @type {any} the definition being edited */
  let def = structuredClone(config.definition);
  /** @type {any} */
  let timer = null;
  let previewReady = false;
  const editor = /** @type {HTMLElement} */ (document.getElementById("builder-editor"));
  const statusBox = /** @type {HTMLElement} */ (document.getElementById("builder-status"));
  const preview = /** @type {HTMLIFrameElement} */ (document.getElementById("builder-preview"));
  const previewLanguage = /** @type {HTMLSelectElement} */ (document.getElementById("preview-language"));
  const csrf = /** @type {HTMLInputElement} */ (document.querySelector("[name=csrfmiddlewaretoken]")).value;
  const cards = createEditor({ editor, definition: () => def, changed, strings: S, languageChoices: config.languages });
  const drafts = new Drafts({
    key: config.draftKey, number: config.number, definition: config.definition, strings: S,
    box: /** @type {HTMLElement} */ (document.getElementById("builder-draft")),
    note: /** @type {HTMLElement} */ (document.getElementById("builder-draft-note")),
    restore: (definition) => { def = definition; changed({ rerender: true }); },
  });

  /** After every edit: preview, check and keep the draft (an edit also makes leaving ask first). */
  function changed({ rerender = false, edit = true } = {}) {
    if (rerender) cards.render();
    if (edit) drafts.dirty = true;
    clearTimeout(timer);
    timer = setTimeout(() => {
      sendPreview();
      check();
      if (drafts.dirty) drafts.keep(def);
    }, CHECK_DELAY_MS);
  }

  // Preview, check, publish, import and export -------------------------------------------------

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

  /** Show the server's problem at the card it belongs to; returns that card (null: no problem). */
  function showProblem(result) {
    for (const node of editor.querySelectorAll(".b-error")) { /** @type {HTMLElement} */ (node).hidden = true; node.textContent = ""; }
    for (const node of editor.querySelectorAll(".b-invalid")) node.classList.remove("b-invalid");
    if (result.ok) return null;
    const nodes = [.../** @type {NodeListOf<HTMLElement>} */ (editor.querySelectorAll("[data-path]"))];
    const path = owningPath(result.path, nodes.map((node) => node.dataset.path));
    const card = nodes.find((node) => node.dataset.path === path) || editor.querySelector('[data-path="$"]');
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
      if (!looksLikeDefinition(data)) throw new Error("shape");
      def = data;
      changed({ rerender: true });
      statusBox.textContent = S.loaded;
    } catch {
      statusBox.textContent = S.loadFailed;
    }
    input.value = "";
  });

  cards.render();
  changed({ edit: false });
  drafts.offer();
  window.vcBuilder = { definition: () => structuredClone(def) };
}
