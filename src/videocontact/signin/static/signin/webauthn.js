// Passkeys: turns the server's WebAuthn options (a JSON data block in the form) into a
// navigator.credentials call and posts the browser's answer back as JSON (no inline script).
// `mount()` (webauthn-entry.js).

const toBytes = (/** @type {string} */ text) => {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
};
const toText = (/** @type {ArrayBuffer} */ buffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** @param {any} options */
function creationOptions(options) {
  return {
    ...options,
    challenge: toBytes(options.challenge),
    user: { ...options.user, id: toBytes(options.user.id) },
    excludeCredentials: (options.excludeCredentials || []).map((c) => ({ ...c, id: toBytes(c.id) })),
  };
}

/** @param {any} options */
function requestOptions(options) {
  return {
    ...options,
    challenge: toBytes(options.challenge),
    allowCredentials: (options.allowCredentials || []).map((c) => ({ ...c, id: toBytes(c.id) })),
  };
}

/** @param {any} credential a PublicKeyCredential */
function serialise(credential) {
  const r = credential.response;
  const response = { clientDataJSON: toText(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toText(r.attestationObject);
    response.transports = r.getTransports ? r.getTransports() : [];
  } else {
    response.authenticatorData = toText(r.authenticatorData);
    response.signature = toText(r.signature);
    response.userHandle = r.userHandle ? toText(r.userHandle) : null;
  }
  return JSON.stringify({
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
  });
}

/** @param {{root?: ParentNode}} [config] */
export function mount({ root = document } = {}) {
  for (const form of root.querySelectorAll("form[data-webauthn]")) {
    if (!(form instanceof HTMLFormElement)) continue;
    /** @type {HTMLButtonElement} */
    const button = form.querySelector("[data-webauthn-start]");
    /** @type {HTMLElement} */
    const error = form.querySelector("[data-webauthn-error]");
    const options = JSON.parse(form.querySelector("[data-webauthn-options]")?.textContent || "null");
    button.addEventListener("click", async () => {
      if (!form.reportValidity()) return;
      error.hidden = true;
      button.disabled = true;
      try {
        const credential =
          form.dataset.webauthn === "create"
            ? await navigator.credentials.create({ publicKey: creationOptions(options) })
            : await navigator.credentials.get({ publicKey: requestOptions(options) });
        /** @type {HTMLInputElement} */ (form.querySelector("input[name=credential]")).value = serialise(credential);
        form.submit();
      } catch (exc) {
        console.warn("webauthn:", exc && exc.name);
        error.hidden = false;
        button.disabled = false;
      }
    });
  }
}
