// Page entry: report script errors (see client-errors.js).
import { mount } from "./client-errors.js";

mount();
