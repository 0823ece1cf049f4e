// Staff: the waiting room (admit, deny) and the roster of everyone invited, with where a
// resident is at the SMS code step, from the `lobby` frame.

/**
 * Two-channel join: what the caseworker reads about a participant's SMS code step ("" for none).
 * @param {{state: string, code?: {state: string, attempts?: number, maxAttempts?: number} | null}} person
 * @param {Record<string, string>} S the call page's strings
 * @returns {string}
 */
export function codeLabel(person, S) {
  const code = person.code;
  if (!code || code.state === "verified" || person.state === "declined") return "";
  // The code step comes before consent, so a resident stuck there is still "invited".
  if (person.state === "invited" && code.state === "not_requested") return "";
  /** @type {Record<string, string>} */
  const labels = {
    sending: S.codeSending, expired: S.codeExpired, locked: S.codeLocked,
    send_failed: S.codeSendFailed, not_requested: S.codeNotRequested,
  };
  if (code.state === "waiting") {
    return S.codeWaiting.replace("%(n)s", String(code.attempts)).replace("%(m)s", String(code.maxAttempts));
  }
  return labels[code.state] || "";
}

/**
 * The staff's waiting room and roster.
 * @param {{send: (type: string, payload: any) => any, roleName: (role: string) => string,
 *          strings: Record<string, string>}} options
 * @returns {(frame: any) => void} renders one `lobby` frame
 */
export function createLobby({ send, roleName, strings: S }) {
  /** @type {Record<string, string>} */
  const stateLabels = {
    invited: S.stateInvited, declined: S.stateDeclined, consented: S.stateConsented,
    waiting: S.stateWaiting, admitted: S.stateAdmitted, denied: S.stateDenied, left: S.stateLeft,
  };

  function lobbyButton(action, label, person) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.action = action;
    button.className = `button button--small ${action === "admit" ? "button--primary" : "button--secondary"}`;
    button.textContent = label;
    button.setAttribute("aria-label", `${label}: ${person.name}`);
    button.addEventListener("click", () => send(action, { participant: person.participantId }));
    return button;
  }

  function waitingItem(person) {
    const li = document.createElement("li");
    li.dataset.participantId = person.participantId;
    const name = document.createElement("span");
    name.className = "lobby__name";
    name.textContent = `${person.name} · ${roleName(person.role)}`;
    if (person.newDevice) {
      // A forwarded link? Letting this browser in replaces the one already admitted.
      li.dataset.newDevice = "true";
      const note = document.createElement("span");
      note.className = "lobby__code";
      note.textContent = S.newDevice;
      name.append(" · ", note);
    }
    li.append(name, lobbyButton("admit", S.admit, person), lobbyButton("deny", S.deny, person));
    return li;
  }

  function rosterItem(person) {
    const li = document.createElement("li");
    li.textContent = `${person.name} · ${roleName(person.role)} · ${stateLabels[person.state] || person.state}`;
    const code = codeLabel(person, S);
    if (code) {
      const note = document.createElement("span");
      note.className = "lobby__code";
      note.dataset.codeState = person.code.state;
      note.textContent = code;
      li.append(note);
    }
    return li;
  }

  return function render(frame) {
    const lobby = document.getElementById("vc-lobby");
    if (!lobby) return;
    const items = frame.waiting.map(waitingItem);
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = S.nobodyWaiting;
      items.push(li);
    }
    lobby.replaceChildren(...items);
    document.getElementById("vc-roster").replaceChildren(...frame.participants.map(rosterItem));
  };
}
