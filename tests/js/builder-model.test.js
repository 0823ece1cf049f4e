// node --test: the questionnaire builder's edits of a definition (builder-model.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  earlierAnswerable, firstAnswer, looksLikeDefinition, moveQuestion, owningPath, removeLanguage, setType, uniqueId,
} from "../../src/videocontact/static/videocontact/js/builder-model.js";

function definition() {
  return {
    code: "test", languages: { nl: "source", en: "machine" },
    title: { nl: "Titel", en: "Title" }, description: { nl: "Uitleg" },
    sections: [
      { id: "deel_1", title: { nl: "Een", en: "One" }, questions: [
        { id: "vraag_1", type: "yes_no", label: { nl: "Ja?", en: "Yes?" } },
        { id: "vraag_2", type: "info", label: { nl: "Let op" } },
      ] },
      { id: "deel_2", title: { nl: "Twee" }, questions: [
        { id: "kleur", type: "single_choice", label: { nl: "Kleur", en: "Colour" }, help: { en: "Pick" },
          options: [{ value: "rood", label: { nl: "Rood", en: "Red" } }, { value: "blauw", label: { nl: "Blauw" } }] },
      ] },
    ],
  };
}

test("a new id is the first free number over questions and sections", () => {
  const def = definition();
  assert.equal(uniqueId(def, "vraag"), "vraag_3");
  assert.equal(uniqueId(def, "deel"), "deel_3");
  assert.equal(uniqueId(def, "nieuw"), "nieuw_1");
});

test("removing a language removes every text in it", () => {
  const def = definition();
  removeLanguage(def, "en");
  assert.deepEqual(Object.keys(def.languages), ["nl"]);
  assert.ok(!JSON.stringify(def).match(/"en"/));
  assert.equal(def.sections[1].questions[0].options[0].label.nl, "Rood");
});

test("moving a question crosses into the next section and stops at the ends", () => {
  const def = definition();
  assert.deepEqual(moveQuestion(def, 0, 1, 1), [1, 0]);
  assert.deepEqual(def.sections[1].questions.map((q) => q.id), ["vraag_2", "kleur"]);
  // Up from the top of a section: it takes the place of the question before it.
  assert.deepEqual(moveQuestion(def, 1, 0, -1), [0, 0]);
  assert.deepEqual(def.sections[0].questions.map((q) => q.id), ["vraag_2", "vraag_1"]);
  assert.deepEqual(moveQuestion(def, 0, 0, 1), [0, 1]);
  assert.deepEqual(def.sections[0].questions.map((q) => q.id), ["vraag_1", "vraag_2"]);
  assert.equal(moveQuestion(def, 0, 0, -1), null);
  assert.equal(moveQuestion(def, 1, 0, 1), null);
});

test("a new type gets two options for a choice, and loses limits that no longer apply", () => {
  const q = { id: "q", type: "number", min: 1, max: 9, label: {} };
  setType(q, "multiple_choice", (n) => ({ nl: `Keuze ${n}` }));
  assert.deepEqual(q, { id: "q", type: "multiple_choice", label: {},
    options: [{ value: "keuze_1", label: { nl: "Keuze 1" } }, { value: "keuze_2", label: { nl: "Keuze 2" } }] });
  setType(q, "short_text", () => ({}));
  assert.equal(q.options, undefined);
  q.max_length = 10;
  setType(q, "long_text", () => ({}));
  assert.equal(q.max_length, 10);
  setType(q, "date", () => ({}));
  assert.equal(q.max_length, undefined);
});

test("a condition refers only to earlier questions with an answer, and starts at their first answer", () => {
  const def = definition();
  assert.deepEqual(earlierAnswerable(def, 0, 0), []);
  assert.deepEqual(earlierAnswerable(def, 1, 0).map((q) => q.id), ["vraag_1"]); // info has no answer
  assert.equal(firstAnswer(def.sections[0].questions[0]), true);
  assert.equal(firstAnswer(def.sections[1].questions[0]), "rood");
  assert.equal(firstAnswer({ type: "number" }), "");
});

test("an error belongs to the deepest card its path falls under", () => {
  const paths = ["$", "$.sections[0]", "$.sections[0].questions[0]", "$.sections[0].questions[1]", "$.sections[1]"];
  assert.equal(owningPath("$.sections[0].questions[1].label.nl", paths), "$.sections[0].questions[1]");
  assert.equal(owningPath("$.sections[0].title", paths), "$.sections[0]");
  assert.equal(owningPath("$.sections[1]", paths), "$.sections[1]");
  assert.equal(owningPath("$.code", paths), "$");
  assert.equal(owningPath("$.sections[0].questions[10]", paths), "$.sections[0]"); // not questions[1]
  assert.equal(owningPath("$", []), null);
});

test("an imported file must look like a definition", () => {
  assert.ok(looksLikeDefinition(definition()));
  assert.ok(!looksLikeDefinition(null));
  assert.ok(!looksLikeDefinition([]));
  assert.ok(!looksLikeDefinition({ sections: [] }));
  assert.ok(!looksLikeDefinition({ sections: {}, languages: {} }));
});
