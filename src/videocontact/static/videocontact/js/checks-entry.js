// Page entry (call page, checks app): the DPIA-gated location check.
import { mount } from "./checks.js";
import { jsonConfig } from "./page-config.js";

mount(jsonConfig("vc-checks-config"));
