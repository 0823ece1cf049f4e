// Page entry (the call page): the call, with the config the server put in the page.
import { mount } from "./call-page.js";
import { jsonConfig } from "./page-config.js";

mount(jsonConfig("vc-config"), jsonConfig("vc-photo-config"));
