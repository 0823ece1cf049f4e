// node --test: what a page reports about its own errors.
import assert from "node:assert/strict";
import { test } from "node:test";

import { reportFor, visitIdFrom } from "../../src/videocontact/static/videocontact/js/client-errors.js";

const VISIT = "0b8e8f6e-4a7c-4c1e-9a53-6a1c2f0e9d11";

test("the visit id comes from the page's address", () => {
  assert.equal(visitIdFrom(`/v/${VISIT}/call`), VISIT);
  assert.equal(visitIdFrom(`/staff/visits/${VISIT}/call`), VISIT);
  assert.equal(visitIdFrom("/check"), null);
});

test("a report keeps the file name, not the query string", () => {
  const report = reportFor("error", "x is not defined", "https://h/static/js/call.js?v=3", 12, "/check");
  assert.deepEqual(report, {
    kind: "error",
    message: "x is not defined",
    source: "call.js",
    line: 12,
    visit: null,
  });
});

test("long messages are cut and odd lines dropped", () => {
  const report = reportFor("unhandledrejection", "m".repeat(1000), "", 1.5, "/");
  assert.equal(report.message.length, 300);
  assert.equal(report.line, null);
});
