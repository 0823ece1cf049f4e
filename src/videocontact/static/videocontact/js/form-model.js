// The questionnaire's model. Pure: no DOM, no timers, no socket.
// - FieldWrites: the write model of one answer field; form-transport.js keeps one per question
//   and does what the methods say.
// - The visibility rules (show_if) and which questions still need an answer.
//
// Every write goes out as `form-answer` with `base`, the field version it builds on; the server
// refuses a write on an older version (conflict). Writes are pipelined: a new write is based on
// the version the write still in flight will produce. The rule that keeps every keystroke:
// the value on this page is the resident's latest intent, and it is only ever given up for a
// value written by someone else. A conflict or a state snapshot that shows one of this page's
// own earlier values (a write that landed, but whose echo was lost at a reconnect) is not
// "someone else": the latest value is rebased onto the server's version and sent again.

/** @typedef {{value: any, version: number}} Saved An answer as the server holds it. */
/** @typedef {{value: any, base: number}} Write A write to send: the value and the version it builds on. */

/** @param {any} value */
export function isEmpty(value) {
  return value === null || value === undefined || value === ""
    || (Array.isArray(value) && !value.length);
}

/**
 * @param {any} a
 * @param {any} b
 */
export function same(a, b) {
  if (isEmpty(a) && isEmpty(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

const key = (/** @type {any} */ value) => (isEmpty(value) ? "" : JSON.stringify(value));
const OWN_VALUES_KEPT = 64;

export class FieldWrites {
  /** @param {any} [question] the question of the template (id, type, …) */
  constructor(question = null) {
    /** @type {any} */
    this.question = question;
    /** @type {any} */
    this.value = null; // what the page shows
    /** @type {any} */
    this.server = null; // the last value known to be saved
    this.version = 0; // its version
    /** @type {{value: any, base: number, ref: string} | null} */
    this.inflight = null; // the last write sent and not yet answered
    this.dirty = false; // the page holds a value not yet sent
    /** @type {any} */
    this.timer = null; // form-transport.js: a write is about to go out (typing)
    /** @type {string | null} */
    this.error = null;
    /** @type {string[]} */
    this.own = []; // values this page sent, newest last (to recognise its own writes)
  }

  get busy() {
    return !!(this.inflight || this.dirty || this.timer);
  }

  get saved() {
    return !this.busy && same(this.value, this.server);
  }

  /** @param {any} value */
  ownValue(value) {
    return this.own.includes(key(value));
  }

  /** The resident changed the field. @param {any} value */
  edit(value) {
    this.value = value;
    this.dirty = true;
  }

  /** The write to send now, or null (nothing new). @returns {Write | null} */
  nextWrite() {
    if (!this.dirty) return null;
    return { value: this.value, base: this.inflight ? this.inflight.base + 1 : this.version };
  }

  /**
   * The write went out on the socket.
   * @param {Write} write
   * @param {string} ref
   */
  sent(write, ref) {
    this.inflight = { value: write.value, base: write.base, ref };
    this.dirty = false;
    this.own.push(key(write.value));
    if (this.own.length > OWN_VALUES_KEPT) this.own.shift();
  }

  // A snapshot after (re)connecting: writes in flight are gone with the old socket (they may or
  // may not have landed). Returns "resend" when the page's value must be saved again, "keep" when
  // it is saved already, "replaced" when the server's value now shows (the page had nothing new).
  /**
   * @param {Saved} saved
   * @param {{signed?: boolean}} [options]
   * @returns {"resend" | "keep" | "replaced"}
   */
  state(saved, { signed = false } = {}) {
    const hadNews = this.busy && !same(this.value, this.server);
    this.inflight = null;
    this.version = saved.version;
    this.server = saved.value;
    if (same(this.value, saved.value)) {
      this.dirty = false;
      return "keep";
    }
    if (!signed && (hadNews || this.busy || this.ownValue(saved.value))) {
      this.dirty = true;
      return "resend";
    }
    this.value = saved.value;
    this.dirty = false;
    return "replaced";
  }

  // `form-answer`: a write was saved (ours, or someone else's). Returns
  // {replaced: the page now shows the server value, resend: send the page's value now,
  //  confirmed: our last write is saved}.
  /** @param {{value: any, version: number}} frame */
  answer(frame) {
    const out = { replaced: false, resend: false, confirmed: false };
    if (frame.version <= this.version) return out;
    this.version = frame.version;
    this.server = frame.value;
    const { inflight } = this;
    if (inflight && frame.version === inflight.base + 1 && same(frame.value, inflight.value)) {
      this.inflight = null;
      out.confirmed = true;
    }
    if (!this.inflight && !this.dirty && !this.timer) {
      if (!same(this.value, frame.value)) {
        if (this.ownValue(frame.value)) {
          this.dirty = true; // an earlier write of ours landed late: ours is newer
          out.resend = true;
        } else {
          this.value = frame.value; // written elsewhere (another tab)
          out.replaced = true;
        }
      }
    } else if (!this.inflight && this.dirty && !this.timer) {
      out.resend = true;
    }
    return out;
  }

  // `form-rejected`. Returns {replaced, resend, error (a code other than conflict, or null)}.
  /** @param {{code: string, current?: Saved | null}} frame */
  rejected(frame) {
    const out = { replaced: false, resend: false, error: /** @type {string | null} */ (null) };
    if (frame.code === "conflict") {
      const current = frame.current || { value: null, version: 0 };
      // The answer to a write older than the one under way (that one builds on newer data).
      if (this.inflight && this.inflight.base >= current.version) return out;
      if (current.version >= this.version) {
        this.version = current.version;
        this.server = current.value;
      }
      this.inflight = null;
      if (this.dirty || this.timer) {
        out.resend = !this.timer; // typed since: save that, on the new version
      } else if (!same(this.value, this.server) && this.ownValue(this.server)) {
        this.dirty = true; // the other write was our own earlier one: rebase ours onto it
        out.resend = true;
      } else if (!same(this.value, this.server)) {
        this.value = this.server; // someone else wrote it: their write wins
        out.replaced = true;
      }
      return out;
    }
    this.inflight = null;
    out.error = frame.code;
    out.resend = this.dirty && !this.timer;
    return out;
  }

  /** An `error` frame for the write with this ref (the server could not take it). @param {string} ref */
  failed(ref) {
    if (this.inflight && this.inflight.ref === ref) this.inflight = null;
  }
}

// Questions and their visibility ---------------------------------------------------------------

/** Question types that hold an answer (not info, photo or signature). */
export const ANSWERABLE = new Set([
  "short_text", "long_text", "number", "date", "yes_no", "single_choice", "multiple_choice",
]);

/**
 * Every question of a definition, in order.
 * @param {{sections: {questions: any[]}[]}} definition
 * @returns {any[]}
 */
export function questionsOf(definition) {
  return definition.sections.flatMap((section) => section.questions);
}

/**
 * As the server decides it (definition.is_visible): the direct condition only.
 * @param {any} question
 * @param {(id: string) => any} valueOf
 */
export function isVisible(question, valueOf) {
  const condition = question.show_if;
  return !condition || valueOf(condition.question) === condition.equals;
}

/**
 * @param {{sections: {questions: any[]}[]}} definition
 * @param {string} questionId
 */
export function findQuestion(definition, questionId) {
  return questionsOf(definition).find((q) => q.id === questionId) || null;
}

/**
 * Visible questions that must be answered but are not, or hold an answer the server refused:
 * [[question id, error code], …].
 * @param {{sections: {questions: any[]}[]}} definition
 * @param {Map<string, FieldWrites>} fields
 * @returns {[string, string][]}
 */
export function problems(definition, fields) {
  const valueOf = (/** @type {string} */ id) => fields.get(id)?.value;
  /** @type {[string, string][]} */
  const out = [];
  for (const q of questionsOf(definition).filter((question) => isVisible(question, valueOf))) {
    const field = fields.get(q.id);
    if (!field) continue;
    if (field.error) out.push([q.id, field.error]);
    else if (q.required && isEmpty(field.value)) out.push([q.id, "required"]);
  }
  return out;
}
