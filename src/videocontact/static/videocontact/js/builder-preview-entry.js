// Page entry (the builder's phone preview, in an iframe).
import { mount } from "./builder-preview.js";
import { jsonConfig } from "./page-config.js";

mount({ strings: jsonConfig("vc-strings"), stage: /** @type {HTMLElement} */ (document.getElementById("vc-call")) });
