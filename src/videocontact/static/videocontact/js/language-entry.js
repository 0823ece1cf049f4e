// Page entry (call page, language app): the caseworker's translation panel and live captions,
// with the config the server put in the page ("vc-language-config").
import { mount as mountCaptions } from "./captions.js";
import { mount as mountTranslate } from "./language.js";
import { jsonConfig } from "./page-config.js";

const config = jsonConfig("vc-language-config");
mountTranslate(config);
mountCaptions(config);
