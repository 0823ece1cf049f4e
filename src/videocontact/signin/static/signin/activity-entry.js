// Page entry (staff pages): `<script type="module" src="…/activity-entry.js" data-activity-url="…"
// [data-activity-always]>`.
import { mount } from "./activity.js";

/** @type {HTMLElement | null} */
const script = document.querySelector("script[data-activity-url]");
if (script) mount({ url: script.dataset.activityUrl || "", always: script.hasAttribute("data-activity-always") });
