// "Copy" buttons next to read-only fields (invitation link).
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copy);
    if (!input) return;
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
