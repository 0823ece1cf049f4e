// Page entry (the questionnaire builder).
import { mount } from "./builder.js";
import { jsonConfig } from "./page-config.js";

mount({ config: jsonConfig("builder-config"), strings: jsonConfig("builder-strings") });
