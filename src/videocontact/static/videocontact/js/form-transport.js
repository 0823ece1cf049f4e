// The questionnaire's writes on the room socket: one FieldWrites (form-model.js) per question,
// the `form-answer` frames that go out (each with a ref, so an `error` frame finds its write),
// the answers and refusals that come back, and the resend after a reconnect. No DOM.
//
// Writes are pipelined: the server applies one socket's frames in order, so a new write goes out
// at once, based on the version the write still in flight will produce. While typing, a write
// goes out on the next tick (bursts in one tick coalesce); never a debounce: continuous typing
// must reach the caseworker within ~100 ms. A write that cannot be sent (socket down) waits for
// the next `form-state` (after reconnecting), which says what is saved; `snapshot` then lists the
// fields to send again, in the order of the questionnaire.
import { ANSWERABLE, FieldWrites, questionsOf } from "./form-model.js";

export const TYPING_DELAY_MS = 0;

/** @typedef {{send(type: string, payload?: Record<string, any>): boolean}} FrameSocket */

export class FormTransport {
  /**
   * @param {object} options
   * @param {FrameSocket} options.socket
   * @param {() => boolean} [options.locked] true while the form is signed: nothing is written
   * @param {() => void} [options.onUpdate] what is saved may have changed (the "Saved" line)
   * @param {{setTimeout: typeof setTimeout, clearTimeout: typeof clearTimeout}} [options.timers]
   */
  constructor({ socket, locked = () => false, onUpdate = () => {}, timers = globalThis }) {
    this.socket = socket;
    this.locked = locked;
    this.onUpdate = onUpdate;
    this.timers = timers;
    /** @type {Map<string, FieldWrites>} question id → its writes */
    this.fields = new Map();
    /** @type {Map<string, string>} ref of a form-answer → question id (for `error` frames) */
    this.refs = new Map();
    this.counter = 0;
    this.offline = false; // a write could not be sent: the socket is down
  }

  /** A ref for a frame that expects an answer ("a1" for answers, "s2" for the signature…). */
  nextRef(prefix = "a") {
    this.counter += 1;
    return `${prefix}${this.counter}`;
  }

  /** @param {string} type @param {Record<string, any>} [payload] */
  send(type, payload) {
    return this.socket.send(type, payload);
  }

  /**
   * Another questionnaire (or version): new fields, nothing of the old one kept.
   * @param {{sections: {questions: any[]}[]}} definition
   */
  reset(definition) {
    for (const field of this.fields.values()) this.timers.clearTimeout(field.timer);
    this.fields = new Map();
    for (const question of questionsOf(definition)) {
      if (!ANSWERABLE.has(question.type)) continue;
      this.fields.set(question.id, new FieldWrites(question));
    }
  }

  /**
   * A `form-state` after (re)connecting: writes in flight are gone with the old socket. Typed
   * while the connection was away, or a write of ours that landed unseen: the page's value is
   * rebased onto the server's version and must be saved again (never an older one put back).
   * Returns the ids of those fields, in questionnaire order; `resend` sends them.
   * @param {Record<string, {value: any, version: number}>} answers
   * @param {{signed?: boolean}} [options]
   * @returns {string[]}
   */
  snapshot(answers, { signed = false } = {}) {
    this.refs.clear();
    const resend = [];
    for (const [id, field] of this.fields) {
      const saved = answers[id] || { value: null, version: 0 };
      const outcome = field.state(saved, { signed });
      if (outcome === "resend") {
        if (!field.timer) resend.push(id);
      } else if (outcome === "replaced") {
        this.timers.clearTimeout(field.timer);
        field.timer = null;
      }
    }
    this.offline = false;
    return resend;
  }

  /** @param {string[]} ids */
  resend(ids) {
    for (const id of ids) this.flush(id);
  }

  /**
   * `form-answer`: a write was saved (ours, or someone else's). Null for an unknown question.
   * @param {{question: string, value: any, version: number}} frame
   */
  answer(frame) {
    const field = this.fields.get(frame.question);
    if (!field) return null;
    const ref = field.inflight && field.inflight.ref;
    const out = field.answer(frame);
    if (out.confirmed && ref) this.refs.delete(ref);
    return { field, ...out };
  }

  /**
   * `form-rejected`: a conflict (rebased or given up) or an invalid value. Null for an unknown question.
   * @param {{question: string, code: string, current?: {value: any, version: number} | null}} frame
   */
  rejected(frame) {
    const field = this.fields.get(frame.question);
    if (!field) return null;
    const ref = field.inflight && field.inflight.ref;
    const out = field.rejected(frame);
    if (ref && !field.inflight) this.refs.delete(ref);
    return { field, ...out };
  }

  /**
   * An `error` frame: the id of the question whose write it refused, or null when not ours.
   * @param {string | undefined} ref
   * @returns {string | null}
   */
  failed(ref) {
    if (!ref || !this.refs.has(ref)) return null;
    const id = /** @type {string} */ (this.refs.get(ref));
    this.refs.delete(ref);
    this.fields.get(id)?.failed(ref);
    return id;
  }

  /**
   * The resident changed a field: save it now, or (typing) on the next tick.
   * @param {string} id
   * @param {any} value
   * @param {boolean} typing
   */
  edit(id, value, typing) {
    const field = this.fields.get(id);
    if (!field) return;
    field.edit(value);
    if (!typing) {
      this.flush(id);
    } else if (!field.timer) {
      field.timer = this.timers.setTimeout(() => this.flush(id), TYPING_DELAY_MS);
    }
  }

  /** Half-typed ("12,"): no write is about to go out. @param {string} id */
  hold(id) {
    const field = this.fields.get(id);
    if (!field) return;
    this.timers.clearTimeout(field.timer);
    field.timer = null;
  }

  /** Send the field's newest value now (if there is one). @param {string} id */
  flush(id) {
    const field = this.fields.get(id);
    if (!field) return;
    this.timers.clearTimeout(field.timer);
    field.timer = null;
    const write = this.locked() ? null : field.nextWrite();
    if (!write) {
      this.onUpdate();
      return;
    }
    const ref = this.nextRef("a");
    const sent = this.socket.send("form-answer", { question: id, value: write.value, base: write.base, ref });
    if (!sent) {
      this.offline = true; // the next form-state (after reconnecting) sends it again
    } else {
      field.sent(write, ref);
      this.refs.set(ref, id);
    }
    this.onUpdate();
  }

  flushAll() {
    for (const [id, field] of this.fields) if (field.timer || field.dirty) this.flush(id);
  }

  busy() {
    return [...this.fields.values()].some((f) => f.busy);
  }

  /** Resolves true once every answer is saved (or false after `ms`). @param {number} ms */
  settled(ms) {
    const until = Date.now() + ms;
    return new Promise((resolve) => {
      const check = () => {
        if (!this.busy()) resolve(true);
        else if (Date.now() > until) resolve(false);
        else this.timers.setTimeout(check, 50);
      };
      check();
    });
  }
}
