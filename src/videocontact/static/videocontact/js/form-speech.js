// "Read aloud" on the resident's sheet: the server's voice (language app, Opus) where it has
// the language, else the phone's own voice (speechSynthesis), else a note that says there is none.
// The caseworker can ask the phone to read a question (`read-aloud` frame).
import { BCP47, pick } from "./form-text.js";

/** @typedef {{id: string, button: HTMLElement, label: string, audio?: HTMLAudioElement,
 *   utterance?: SpeechSynthesisUtterance}} Speaking */

export class ReadAloud {
  /**
   * @param {object} options
   * @param {string | undefined} options.visitId none in the builder's preview: no server voice
   * @param {HTMLElement} options.root the sheet (its "no voice" notes)
   * @param {() => string} options.language the questionnaire language now
   * @param {() => Record<string, string>} options.words fixed words in that language
   */
  constructor({ visitId, root, language, words }) {
    this.visitId = visitId;
    this.root = root;
    this.language = language;
    this.words = words;
    /** @type {Speaking | null} */
    this.speaking = null;
    this.speech = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
    /** @type {SpeechSynthesisVoice[]} */
    this.voices = [];
    this.voicesSettled = false;
    this.serverVoices = new Set(); // languages the server reads aloud (language app, Opus)
  }

  start() {
    if (this.speech) this.watchVoices();
    this.loadServerVoices();
  }

  hideNotes() {
    for (const note of this.root.querySelectorAll(".form-q__speak-note")) /** @type {HTMLElement} */ (note).hidden = true;
  }

  /** The server's voices come first: they work on every phone, with or without a voice. */
  loadServerVoices() {
    if (!this.visitId) return;
    fetch("/speech/languages", { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { languages: [] }))
      .then((data) => {
        this.serverVoices = new Set(data.languages || []);
        this.hideNotes();
      })
      .catch(() => {});
  }

  /** Voices load late in some browsers; "Read aloud" shows only where a voice for the language
   * exists (until the list is known, it shows: a phone nearly always has one). */
  watchVoices() {
    const synth = window.speechSynthesis;
    const update = () => {
      this.voices = synth.getVoices() || [];
      this.voicesSettled = true;
      this.hideNotes();
    };
    this.voices = synth.getVoices() || [];
    if (this.voices.length) this.voicesSettled = true;
    synth.addEventListener?.("voiceschanged", update);
    setTimeout(update, 2500);
  }

  canSpeak(language = this.language()) {
    return this.serverVoices.has(language) || this.canSpeakHere(language);
  }

  /** A voice of this phone/browser for the language. */
  canSpeakHere(language = this.language()) {
    if (!this.speech) return false;
    if (!this.voices.length) return !this.voicesSettled;
    return this.voices.some((voice) => voice.lang.toLowerCase().replace("_", "-").startsWith(language));
  }

  /** The resident's "Read aloud" (again: stop). @param {any} q @param {HTMLElement} button */
  speak(q, button) {
    if (this.speaking && this.speaking.id === q.id) {
      this.stop();
      return;
    }
    this.stop();
    const language = this.language();
    /** @type {HTMLElement | null | undefined} */
    const note = button.parentElement?.querySelector(".form-q__speak-note");
    if (note) note.hidden = true;
    if (this.serverVoices.has(language)) {
      this.speakFromServer(q, button, language);
      return;
    }
    if (!this.canSpeakHere(language)) {
      if (note) note.hidden = false;
      return;
    }
    this.speakHere(q, button, language);
  }

  /**
   * The server's Opus audio; if it cannot play (engine failed), the phone's voice.
   * @param {any} q @param {HTMLElement} button @param {string} language
   */
  speakFromServer(q, button, language) {
    const words = this.words();
    const audio = new Audio(`/speech/${this.visitId}/${encodeURIComponent(q.id)}/${language}.opus`);
    const done = () => {
      if (this.speaking?.audio !== audio) return;
      this.speaking = null;
      button.textContent = words.readAloud;
    };
    const fallback = () => {
      if (this.speaking?.audio !== audio) return;
      this.speaking = null;
      button.textContent = words.readAloud;
      if (this.canSpeakHere(language)) this.speakHere(q, button, language);
      else button.parentElement?.querySelector(".form-q__speak-note")?.removeAttribute("hidden");
    };
    audio.addEventListener("ended", done);
    audio.addEventListener("error", fallback);
    this.speaking = { id: q.id, audio, button, label: words.readAloud };
    button.textContent = words.stopReading;
    audio.play().catch(fallback);
  }

  /** @param {any} q @param {HTMLElement} button @param {string} language */
  speakHere(q, button, language) {
    const synth = window.speechSynthesis;
    const words = this.words();
    const parts = [pick(q.label, language), q.help ? pick(q.help, language) : ""];
    if (q.type === "yes_no") parts.push(words.yes, words.no);
    for (const option of q.options || []) parts.push(pick(option.label, language));
    const text = parts.filter(Boolean).map((p) => (/[.?!:؟]\s*$/.test(p) ? p : `${p}.`)).join(" ");
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = BCP47[language] || language;
    const voices = synth.getVoices();
    const voice = voices.find((v) => v.lang.replace("_", "-") === utterance.lang)
      || voices.find((v) => v.lang.toLowerCase().startsWith(language));
    try {
      if (voice) utterance.voice = voice;
    } catch {
      /* the language alone picks one */
    }
    utterance.rate = 0.9;
    const done = () => {
      if (this.speaking?.utterance !== utterance) return;
      this.speaking = null;
      button.textContent = words.readAloud;
    };
    utterance.addEventListener("end", done);
    utterance.addEventListener("error", done);
    this.speaking = { id: q.id, utterance, button, label: words.readAloud };
    button.textContent = words.stopReading;
    synth.speak(utterance);
  }

  stop() {
    if (!this.speaking) return;
    const { button, label, audio } = this.speaking;
    this.speaking = null;
    button.textContent = label;
    if (audio) audio.pause();
    else window.speechSynthesis.cancel();
  }

  /**
   * The caseworker asked this phone to read a question aloud (`read-aloud` frame).
   * @param {string} questionId @param {any} question the question, if the form has it
   */
  requested(questionId, question) {
    /** @type {HTMLElement | null} */
    const button = this.root.querySelector(`.form-q__speak[data-speak="${CSS.escape(questionId)}"]`);
    if (!button || !question) return;
    if (this.speaking?.id === questionId) return;
    button.scrollIntoView({ block: "center" });
    this.speak(question, button);
  }
}
