// "Copy" buttons next to read-only fields (invitation link): `mount()` (copy-entry.js).

/** @param {{root?: ParentNode}} [config] where the buttons are (the page) */
export function mount({ root = document } = {}) {
  for (const button of root.querySelectorAll("button[data-copy]")) {
    if (!(button instanceof HTMLButtonElement)) continue;
    button.addEventListener("click", async () => {
      const input = document.getElementById(button.dataset.copy || "");
      if (!(input instanceof HTMLInputElement)) return;
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
      } catch {
        document.execCommand("copy");
      }
      button.setAttribute("aria-live", "polite");
      button.dataset.copied = "true";
    });
  }
}
