// Page entry (staff pages with dialogs).
import { mount } from "./dialogs.js";

mount();
