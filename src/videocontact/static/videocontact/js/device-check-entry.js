// Page entry (the device and network check, /check and the resident's step 2).
import { mount } from "./device-check.js";
import { jsonConfig } from "./page-config.js";

mount(jsonConfig("check-config"));
