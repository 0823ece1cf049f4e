// Page entry (call page, evidence app): the DPIA-gated identity document check.
import { mount } from "./idcheck.js";
import { jsonConfig } from "./page-config.js";

mount(jsonConfig("vc-idcheck-config"), jsonConfig("vc-photo-config"));
