// Page entry (staff visit page, a report being made).
import { mount } from "./reports-panel.js";

mount();
