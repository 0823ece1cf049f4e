// ESLint (flat config) for the project's own browser modules: `make lint` runs it.
// Vendored libraries (static/**/vendor/) are other people's code and stay as they came.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["**/vendor/**", "node_modules/**", "tests/oidc/**", ".venv/**", "staticfiles/**", "var/**"] },
  {
    files: ["src/videocontact/**/static/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: { ...js.configs.recommended.rules },
  },
  {
    // An AudioWorklet runs in its own global scope (registerProcessor, AudioWorkletProcessor).
    files: ["src/videocontact/**/static/**/*-worklet.js"],
    languageOptions: { globals: { ...globals.audioWorklet } },
  },
  {
    files: ["tests/js/**/*.{js,mjs}", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
    rules: { ...js.configs.recommended.rules },
  },
];
