// Who is in the call, for everyone: the role names (resident, interpreter, …), the name under
// one's own picture and the "Who is in the call" list.

/**
 * The role of a participant as people read it; an unknown role as it came.
 * @param {Record<string, string>} S the call page's strings
 * @returns {(role: string) => string}
 */
export function roleNamer(S) {
  /** @type {Record<string, string>} */
  const labels = {
    caseworker: S.roleCaseworker, resident: S.roleResident, interpreter: S.roleInterpreter,
    family: S.roleFamily, colleague: S.roleColleague,
  };
  return (role) => labels[role] || role;
}

/**
 * Show one's own name and the list of everyone in the call.
 * @param {{self: any, peers: Map<string, any>, roleName: (role: string) => string,
 *          strings: Record<string, string>}} options
 */
export function renderPeople({ self, peers, roleName, strings: S }) {
  if (self) document.getElementById("vc-self-name").textContent = `${S.you} · ${roleName(self.role)}`;
  const list = document.getElementById("vc-people");
  list.replaceChildren(...[...peers.values()].map((person) => {
    const li = document.createElement("li");
    li.dataset.role = person.role;
    const who = person.peerId === self?.peerId ? S.you : person.name;
    li.textContent = `${who} · ${roleName(person.role)}`;
    return li;
  }));
}
