// Page entry (passkey pages): the WebAuthn buttons.
import { mount } from "./webauthn.js";

mount();
