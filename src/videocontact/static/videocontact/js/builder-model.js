// The questionnaire builder's edits of a definition (the JSON of
// questionnaires/schema/questionnaire.schema.json), without DOM: the question types, new ids,
// moving a question, changing its type, removing a language, the questions a condition may
// refer to, and which card an error's JSON path belongs to. node --test: tests/js/builder-model.test.mjs.

export const TYPES = ["short_text", "long_text", "number", "date", "yes_no", "single_choice",
                      "multiple_choice", "info", "photo", "signature"];
export const CHOICE = new Set(["single_choice", "multiple_choice"]);
export const TEXT = new Set(["short_text", "long_text"]);
export const ANSWERABLE = new Set(["short_text", "long_text", "number", "date", "yes_no",
                                   "single_choice", "multiple_choice"]);
export const STATUSES = ["source", "reviewed", "machine"];

/** @param {any} def @returns {string[]} the definition's languages, the first one first */
export const languagesOf = (def) => Object.keys(def.languages);

/** @param {any} def @returns {any[]} every question, in order */
export const allQuestions = (def) => def.sections.flatMap((section) => section.questions);

/**
 * `<prefix>_<n>` with the smallest n not taken by a question or section.
 * @param {any} def @param {string} prefix @returns {string}
 */
export function uniqueId(def, prefix) {
  const taken = new Set([...allQuestions(def).map((q) => q.id), ...def.sections.map((s) => s.id)]);
  let n = 1;
  while (taken.has(`${prefix}_${n}`)) n += 1;
  return `${prefix}_${n}`;
}

/** The language and every text in it leave the definition. @param {any} def @param {string} language */
export function removeLanguage(def, language) {
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
}

/**
 * Move question `i` of section `s` one place up (-1) or down (+1) in the questionnaire's order,
 * across sections.
 * @param {any} def @param {number} s @param {number} i @param {number} delta
 * @returns {[number, number] | null} where it went ([section, index]); null at either end
 */
export function moveQuestion(def, s, i, delta) {
  const flat = def.sections.flatMap((section, sIndex) => section.questions.map((_, qIndex) => [sIndex, qIndex]));
  const at = flat.findIndex(([a, b]) => a === s && b === i);
  const target = flat[at + delta];
  if (!target) return null;
  const [question] = def.sections[s].questions.splice(i, 1);
  def.sections[target[0]].questions.splice(target[1], 0, question);
  return /** @type {[number, number]} */ (target);
}

/**
 * A question gets another type: choices get two options, limits that no longer apply go.
 * @param {any} q @param {string} type
 * @param {(n: number) => Record<string, string>} optionLabel the label of option n (first language)
 */
export function setType(q, type, optionLabel) {
  q.type = type;
  if (CHOICE.has(type) && !q.options) {
    q.options = [1, 2].map((k) => ({ value: `keuze_${k}`, label: optionLabel(k) }));
  }
  if (!CHOICE.has(type)) delete q.options;
  if (!TEXT.has(type)) delete q.max_length;
  if (type !== "number") { delete q.min; delete q.max; }
}

/**
 * The questions before question `i` of section `s` that have an answer a condition can test.
 * @param {any} def @param {number} s @param {number} i @returns {any[]}
 */
export function earlierAnswerable(def, s, i) {
  return def.sections.flatMap((section, a) => section.questions.filter((_, b) => a < s || (a === s && b < i)))
    .filter((other) => ANSWERABLE.has(other.type));
}

/**
 * A condition "show if <question> equals …" starts with that question's first possible answer.
 * @param {any} other the question the condition refers to @returns {any}
 */
export function firstAnswer(other) {
  return other.type === "yes_no" ? true : (other.options ? other.options[0].value : "");
}

/**
 * Of the element paths (`$`, `$.sections[0]`, `$.sections[0].questions[2]`), the longest that an
 * error's JSON path falls under: the question, else its section, else the questionnaire.
 * @param {string} path the error's JSON path @param {string[]} paths @returns {string | null}
 */
export function owningPath(path, paths) {
  const owners = paths.filter((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
  owners.sort((a, b) => b.length - a.length);
  return owners[0] ?? null;
}

/** An imported file looks like a definition. @param {any} data @returns {boolean} */
export function looksLikeDefinition(data) {
  return Boolean(data) && Array.isArray(data.sections) && typeof data.languages === "object";
}
