// Unpublished changes in the questionnaire builder: they stay in this browser (localStorage, per
// questionnaire) until they are published or thrown away; coming back offers them again, and
// leaving the page with changes asks first.
import { fmt, h } from "./builder-dom.js";

export class Drafts {
  /**
   * @param {{key: string, number: number, definition: any, box: HTMLElement, note: HTMLElement,
   *          strings: Record<string, string>, restore: (definition: any) => void}} options
   */
  constructor({ key, number, definition, box, note, strings, restore }) {
    this.key = key;
    this.number = number; // the published version the page opened with
    this.published = definition;
    this.box = box;
    this.note = note;
    this.S = strings;
    this.restore = restore;
    this.dirty = false; // changes since the page opened or the last publish
    window.addEventListener("beforeunload", (event) => {
      if (!this.dirty) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers need it set; the browser shows its own text
    });
  }

  /** @returns {{definition: any, savedAt: string, base?: number} | null} */
  read() {
    try {
      const draft = JSON.parse(localStorage.getItem(this.key) || "null");
      return draft && typeof draft.definition === "object" && draft.definition ? draft : null;
    } catch {
      return null;
    }
  }

  /** @param {any} definition */
  keep(definition) {
    this.box.hidden = true; // editing on means: the earlier changes are not wanted
    try {
      localStorage.setItem(this.key, JSON.stringify({
        definition, savedAt: new Date().toISOString(), base: this.number,
      }));
      this.note.textContent = this.S.draftKept;
    } catch {
      // Storage full or switched off: the warning on leaving still protects the changes.
    }
  }

  drop() {
    try {
      localStorage.removeItem(this.key);
    } catch {
      // nothing kept
    }
  }

  /** After a publish: nothing is unsaved any more. @param {number} number @param {any} definition */
  publishedAs(number, definition) {
    this.dirty = false;
    this.drop();
    this.note.textContent = "";
    this.number = number;
    this.published = structuredClone(definition);
  }

  /** On opening the page: offer what was left unpublished, if it differs. */
  offer() {
    const draft = this.read();
    if (!draft) return;
    if (JSON.stringify(draft.definition) === JSON.stringify(this.published)) {
      this.drop();
      return;
    }
    const S = this.S;
    const time = new Date(draft.savedAt).toLocaleString(document.documentElement.lang || "nl",
      { dateStyle: "long", timeStyle: "short" });
    const newer = this.number > (draft.base ?? 0) ? ` ${fmt(S.draftOlder, { n: this.number })}` : "";
    this.box.replaceChildren(
      h("p", { text: fmt(S.draftFound, { time }) + newer }),
      h("div", { class: "builder-draft__actions" },
        h("button", {
          type: "button", class: "button button--primary button--small", text: S.draftRestore,
          onclick: () => {
            this.box.hidden = true;
            this.restore(draft.definition);
            this.note.textContent = S.draftRestored;
          },
        }),
        h("button", {
          type: "button", class: "button button--secondary button--small", text: S.draftDiscard,
          onclick: () => {
            this.drop();
            this.box.hidden = true;
            this.note.textContent = S.draftDiscarded;
          },
        })),
    );
    this.box.hidden = false;
  }
}
