// Page entry (staff visit page): the copy buttons.
import { mount } from "./copy.js";

mount();
