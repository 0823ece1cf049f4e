// The caseworker's photo panel in the call: take a photo with the resident's camera, the gallery
// (live through room frames), caption and discard, and the resident's torch and zoom.

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

export function mountGallery({ socket, config, residentPeer }) {
  const S = config.strings;
  /** @type {(id: string) => any} */
  const $ = (id) => document.getElementById(id);
  const list = $("vc-gallery");
  const status = $("vc-photo-status");
  const take = $("vc-photo-take");
  const torch = $("vc-torch");
  const zoomRow = $("vc-zoom-row");
  const zoom = $("vc-zoom");
  const photos = new Map(); // id → frame
  const pending = new Set(); // photo request ids not yet answered
  const commands = new Map(); // command id → name (torch, zoom)
  let caps = null;
  let counter = 0;
  let torchOn = false;

  const say = (text) => { status.textContent = text; };
  const time = (iso) => new Date(iso).toLocaleTimeString(document.documentElement.lang || "nl",
    { hour: "2-digit", minute: "2-digit", second: "2-digit" });

  async function post(url, fields) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": config.csrfToken },
      body: new URLSearchParams(fields),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error((body && body.error && body.error.message) || `HTTP ${response.status}`);
    return body;
  }

  function render() {
    const items = [...photos.values()].sort((a, b) => a.capturedAt.localeCompare(b.capturedAt))
      .map((photo, index) => item(photo, index + 1));
    // The questionnaire view shows at each photo question whether its photo was taken.
    const counts = {};
    for (const photo of photos.values()) if (photo.question) counts[photo.question] = (counts[photo.question] || 0) + 1;
    document.dispatchEvent(new CustomEvent("vc:photo-questions", { detail: { counts } }));
    if (!items.length) {
      const empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = S.photoNone;
      items.push(empty);
    }
    list.replaceChildren(...items);
  }

  function item(photo, n) {
    const li = document.createElement("li");
    li.className = "gallery__item";
    li.dataset.photoId = photo.id;
    const link = document.createElement("a");
    link.href = photo.url;
    link.target = "_blank";
    link.rel = "noopener";
    const img = document.createElement("img");
    img.className = "gallery__image";
    img.src = photo.url;
    img.width = photo.width;
    img.height = photo.height;
    img.alt = fill(S.photoAlt, { n, time: time(photo.capturedAt) });
    link.append(img);
    const meta = document.createElement("p");
    meta.className = "gallery__meta";
    meta.textContent = `${fill(S.photoTakenAt, { time: time(photo.capturedAt) })} · ${photo.width}×${photo.height}`;
    // A photo taken at a questionnaire question says which one.
    const question = document.createElement("p");
    question.className = "gallery__question";
    question.hidden = !photo.questionLabel;
    question.textContent = photo.questionLabel ? fill(S.photoQuestion, { label: photo.questionLabel }) : "";
    // The hash is for the record, not for reading: it waits behind a disclosure.
    const hash = document.createElement("details");
    hash.className = "gallery__hash";
    const summary = document.createElement("summary");
    summary.textContent = S.photoDetails;
    const line = document.createElement("p");
    const label = document.createElement("span");
    label.className = "muted";
    label.textContent = `${S.photoHash} `;
    const code = document.createElement("code");
    code.className = "gallery__sha256";
    code.textContent = photo.sha256;
    line.append(label, code);
    hash.append(summary, line);

    const form = document.createElement("form");
    form.className = "gallery__caption";
    const inputId = `caption-${photo.id}`;
    const captionLabel = document.createElement("label");
    captionLabel.htmlFor = inputId;
    captionLabel.textContent = S.photoCaption;
    const input = document.createElement("input");
    input.id = inputId;
    input.name = "caption";
    input.maxLength = 300;
    input.value = photo.caption;
    const save = document.createElement("button");
    save.type = "submit";
    save.className = "button button--secondary button--small";
    save.textContent = S.photoSaveCaption;
    form.append(captionLabel, input, save);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const body = await post(photo.captionUrl, { caption: input.value });
        photos.set(photo.id, body.photo);
        say(S.photoCaptionSaved);
      } catch (error) {
        say(fill(S.photoError, { message: error.message }));
      }
    });

    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button--danger button--small gallery__discard";
    discard.textContent = S.photoDiscard;
    discard.addEventListener("click", async () => {
      if (!window.confirm(S.photoConfirmDiscard)) return;
      try {
        await post(photo.discardUrl, {});
        photos.delete(photo.id);
        render();
      } catch (error) {
        say(fill(S.photoError, { message: error.message }));
      }
    });
    li.append(link, question, meta, hash, form, discard);
    return li;
  }

  async function load() {
    try {
      const response = await fetch(config.listUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const body = await response.json();
      photos.clear();
      for (const photo of body.photos) photos.set(photo.id, photo);
      render();
    } catch {
      say(fill(S.photoError, { message: "" }));
    }
  }

  function updateControls() {
    const peer = residentPeer();
    if (take) take.disabled = !peer || !config.allowed;
    const usable = Boolean(peer && caps && caps.from === peer.peerId);
    if (torch) torch.hidden = !(usable && caps.torch);
    if (zoomRow) {
      zoomRow.hidden = !(usable && caps.zoom);
      if (usable && caps.zoom) {
        zoom.min = String(caps.zoom.min);
        zoom.max = String(caps.zoom.max);
        zoom.step = String(caps.zoom.step || 0.1);
      }
    }
  }

  function command(name, fields) {
    const peer = residentPeer();
    if (!peer) return;
    counter += 1;
    const id = `p${counter}`;
    commands.set(id, name);
    socket.send("command", { to: peer.peerId, id, name, ...fields });
    say("…");
  }

  take?.addEventListener("click", () => {
    const peer = residentPeer();
    if (!peer) {
      say(S.photoNoResident);
      return;
    }
    if (socket.send("photo-take", { participant: peer.participantId })) say(S.photoRequested);
  });
  // "Take a photo" at a photo question of the questionnaire (form.js): the photo answers it.
  document.addEventListener("vc-photo-question", (event) => {
    const peer = residentPeer();
    if (!peer) {
      say(S.photoNoResident);
      return;
    }
    const question = /** @type {CustomEvent} */ (event).detail?.question;
    if (socket.send("photo-take", { participant: peer.participantId, question })) say(S.photoRequested);
  });
  torch?.addEventListener("click", () => command("torch", { torch: !torchOn }));
  zoom?.addEventListener("change", () => command("zoom", { zoom: Number(zoom.value) }));

  render();
  load();

  return {
    // Returns true when the frame was about photos or the resident's camera.
    handle(frame) {
      switch (frame.type) {
        case "photo-requested":
          pending.add(frame.request);
          return true;
        case "photo-added":
          pending.delete(frame.photo.request);
          photos.set(frame.photo.id, frame.photo);
          render();
          say(S.photoArrived);
          return true;
        case "photo-updated":
          photos.set(frame.photo.id, frame.photo);
          render();
          return true;
        case "photo-discarded":
          photos.delete(frame.id);
          render();
          return true;
        case "camera-caps":
          caps = frame;
          updateControls();
          return true;
        case "command-result":
          if (pending.has(frame.id)) {
            pending.delete(frame.id);
            if (!frame.ok) say(fill(S.photoFailedStaff, { code: frame.code || "?" }));
            return true;
          }
          if (commands.has(frame.id)) {
            const name = commands.get(frame.id);
            commands.delete(frame.id);
            if (frame.ok && name === "torch") {
              torchOn = !torchOn;
              // A toggle keeps its name ("Lamp on"); aria-pressed says whether it is on.
              torch.setAttribute("aria-pressed", String(torchOn));
            }
            say(frame.ok ? (name === "torch" ? S.torchAccepted : S.zoomAccepted) : S.requestDeclined);
            return true;
          }
          return false;
        default:
          return false;
      }
    },
    handleError(frame) {
      const codes = ["photos_not_allowed", "not_resident", "not_in_call", "too_many_requests",
        "photo_limit", "visit_closed", "storage_not_approved"];
      if (!codes.includes(frame.code)) return false;
      say(S[`photoRefused.${frame.code}`] || fill(S.photoError, { message: frame.message }));
      return true;
    },
    presence: updateControls,
    reload: load,
    photos: () => [...photos.values()],
  };
}
