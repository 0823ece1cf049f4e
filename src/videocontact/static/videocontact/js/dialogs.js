// Dialogs on staff pages: a button with data-dialog-open="<id>" opens the <dialog> as a modal
// (focus moves in, Escape closes, focus returns to the button); data-dialog-close closes it.
// A dialog whose form came back with errors carries data-open-on-load and opens at once.
let opener = null;

function open(dialog, from) {
  if (!dialog || dialog.open) return;
  opener = from || null;
  dialog.showModal();
  const first = dialog.querySelector("[aria-invalid=true], input:not([type=hidden]), select, textarea, button");
  if (first) first.focus();
}

for (const button of document.querySelectorAll("[data-dialog-open]")) {
  button.addEventListener("click", () => open(document.getElementById(button.dataset.dialogOpen), button));
}
for (const dialog of document.querySelectorAll("dialog.dialog")) {
  dialog.addEventListener("close", () => {
    if (opener) opener.focus();
    opener = null;
  });
  for (const close of dialog.querySelectorAll("[data-dialog-close]")) {
    close.addEventListener("click", () => dialog.close());
  }
}
const withErrors = document.querySelector("dialog.dialog[data-open-on-load]");
if (withErrors) {
  open(withErrors, document.querySelector(`[data-dialog-open="${withErrors.id}"]`));
}
