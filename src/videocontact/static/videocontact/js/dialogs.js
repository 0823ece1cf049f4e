// Dialogs on staff pages: a button with data-dialog-open="<id>" opens the <dialog> as a modal
// (focus moves in, Escape closes, focus returns to the button); data-dialog-close closes it.
// A dialog whose form came back with errors carries data-open-on-load and opens at once.
// `mount()` (dialogs-entry.js).

/** @param {{root?: Document}} [config] */
export function mount({ root = document } = {}) {
  /** @type {HTMLElement | null} */
  let opener = null;

  /** @param {HTMLElement | null} dialog @param {HTMLElement | null} from */
  function open(dialog, from) {
    if (!(dialog instanceof HTMLDialogElement) || dialog.open) return;
    opener = from || null;
    dialog.showModal();
    /** @type {HTMLElement | null} */
    const first = dialog.querySelector("[aria-invalid=true], input:not([type=hidden]), select, textarea, button");
    if (first) first.focus();
  }

  for (const button of root.querySelectorAll("[data-dialog-open]")) {
    if (!(button instanceof HTMLElement)) continue;
    button.addEventListener("click", () => open(root.getElementById(button.dataset.dialogOpen || ""), button));
  }
  for (const dialog of root.querySelectorAll("dialog.dialog")) {
    if (!(dialog instanceof HTMLDialogElement)) continue;
    dialog.addEventListener("close", () => {
      if (opener) opener.focus();
      opener = null;
    });
    for (const close of dialog.querySelectorAll("[data-dialog-close]")) {
      close.addEventListener("click", () => dialog.close());
    }
  }
  /** @type {HTMLElement | null} */
  const withErrors = root.querySelector("dialog.dialog[data-open-on-load]");
  if (withErrors) {
    open(withErrors, root.querySelector(`[data-dialog-open="${withErrors.id}"]`));
  }
}
