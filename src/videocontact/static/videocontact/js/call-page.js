// The call page, for residents, guests and staff: waiting room, call, controls, lobby.
// `mount(config, photoConfig)` (call-page-entry.js, with the page's "vc-config" and
// "vc-photo-config"): everything below runs only when mounted.
import { Mesh } from "./call.js";
import { applyTorch, applyZoom, cameraCaps, capturePhoto, sha256Hex, showTaken, uploadPhoto } from "./capture.js";
import { LocalMedia } from "./media.js";
import { mountInsights } from "./insights.js";
import { RoomSocket } from "./room.js";
import { mountWeakNetwork } from "./weak-network.js";

/**
 * The call on this page.
 * @param {any} config the page's "vc-config"
 * @param {any} photoConfig the page's "vc-photo-config"
 */
export function mount(config, photoConfig) {
  const S = config.strings;
  /** @type {(id: string) => any} the page's elements, by id (each one's kind is known here) */
  const $ = (id) => document.getElementById(id);
  const PS = photoConfig.strings;
  const ROLE_LABEL = {
    caseworker: S.roleCaseworker, resident: S.roleResident, interpreter: S.roleInterpreter,
    family: S.roleFamily, colleague: S.roleColleague,
  };
  const STATE_LABEL = {
    invited: S.stateInvited, declined: S.stateDeclined, consented: S.stateConsented,
    waiting: S.stateWaiting, admitted: S.stateAdmitted, denied: S.stateDenied, left: S.stateLeft,
  };

  const media = new LocalMedia();
  const socket = new RoomSocket(config.wsPath);
  // Feature apps on this page (language: live captions) get the room socket through one event.
  document.dispatchEvent(new CustomEvent("vc:room-socket", { detail: { socket, isStaff: config.isStaff } }));
  let self = null;
  let ice = { iceServers: [], iceTransportPolicy: "all" };
  let mesh = null;
  let peers = new Map(); // peerId → presence entry
  let finished = false;
  let commandCounter = 0;
  // A weak network: the video steps down, and the person may choose sound only (weak-network.js).
  const weak = mountWeakNetwork({ socket, connections: () => (mesh ? mesh.connections() : new Map()),
    strings: S, status: (text) => status(text), onModeChange: () => sendMediaState() });

  function status(text) {
    $("vc-status").textContent = text;
  }

  function show(section) {
    for (const id of ["vc-waiting", "vc-call", "vc-message"]) $(id).hidden = id !== section;
  }

  function showMessage(title, text = "") {
    $("vc-message-title").textContent = title;
    $("vc-message-text").textContent = text;
    show("vc-message");
    status(title);
  }

  function finish(title, text, { retry = false } = {}) {
    finished = true;
    closeMesh();
    media.stop();
    showMessage(title, text);
    // Out of the call: no staff controls that would act on a call one is not in.
    const panel = /** @type {HTMLElement | null} */ (document.querySelector(".staff-panel"));
    if (panel) panel.hidden = true;
    $("vc-message-actions").hidden = !retry;
  }

  // Local media -------------------------------------------------------------------------------

  function mark(name) {
    if (performance.mark) performance.mark(`vc:${name}`);
  }

  async function startMedia() {
    try {
      await media.start();
      mark("media-ready");
    } catch {
      status(S.noCamera);
      return;
    }
    $("vc-waiting-video").srcObject = media.stream;
    $("vc-local-video").srcObject = media.stream;
    $("vc-camera").hidden = !media.videoTrack;
    $("vc-flip").hidden = !media.videoTrack;
  }

  function sendMediaState() {
    socket.send("media", { audio: media.audioEnabled, video: media.videoEnabled && weak.sendingVideo(),
                           facing: media.videoTrack ? media.facing : null });
  }

  async function switchCamera(facing) {
    const track = await media.switchFacing(facing);
    $("vc-local-video").srcObject = media.stream;
    if (mesh) await mesh.replaceVideoTrack(track);
    sendMediaState();
    sendCameraCaps();
  }

  // The caseworker sees torch and zoom controls only when this camera track has them.
  let capsSentTo = "";
  function sendCameraCaps(force = true) {
    if (config.role !== "resident" || !mesh || !media.videoTrack) return;
    const peerKey = [...peers.keys()].sort().join(",");
    if (!force && peerKey === capsSentTo) return;
    capsSentTo = peerKey;
    socket.send("camera-caps", cameraCaps(media.videoTrack));
  }

  // Call --------------------------------------------------------------------------------------

  let entering = false;
  let earlySignals = []; // signals that arrive before the call is set up (camera still starting)

  // Media and the socket start together; the call itself needs the camera decision first.
  async function enterCall() {
    if (mesh || entering) return;
    entering = true;
    await mediaReady;
    entering = false;
    if (mesh || finished) return;
    mark("in-call");
    show("vc-call");
    status(S.admitted);
    mesh = new Mesh({ socket, selfId: self.peerId, localStream: media.stream, ...ice });
    const early = earlySignals;
    earlySignals = [];
    mesh.on("remote-stream", ({ peerId, stream }) => attachStream(peerId, stream));
    mesh.on("peer-removed", ({ peerId }) => removeTile(peerId));
    mesh.on("ice-restart", ({ peerId, attempt }) => {
      recoveryLog.push({ t: Date.now(), event: "ice-restart", peerId, attempt });
      if (frozenPeers.size) status(S.frozen); // "frozen" says more
      else if (!restoredRecently()) status(S.connectionProblem);
    });
    mesh.on("keyframe-requested", ({ peerId }) => {
      recoveryLog.push({ t: Date.now(), event: "keyframe-requested", peerId });
    });
    mesh.on("recovered", () => (frozenPeers.size ? status(S.frozen) : showInCall()));
    mesh.on("peer-state", ({ state }) => {
      if (state === "connected") mark("peer-connected");
      if (state === "connected") showInCall();
    });
    sendMediaState();
    applyPresence();
    sendCameraCaps();
    for (const frame of early) mesh.signal(frame);
  }

  // A frozen picture: the inbound video of a peer whose camera is on stops decoding frames.
  // The person is told what is happening (the connection is being restored) instead of
  // looking at a still image under "You are in the call".
  const FROZEN_AFTER_MS = 2000;
  const recoveryLog = []; // for support staff and tests (window.vcDebug.recovery)
  const KEYFRAME_AFTER_MS = 1000;
  const STALLED_AFTER_MS = 600; // no new frame for this long: restart ICE (call.js, stalled)
  const frozenPeers = new Set();
  const decodeWatch = new Map(); // peerId → {frames, changedAt}

  async function watchFrames() {
    if (!mesh) return;
    const now = Date.now();
    for (const [peerId, pc] of mesh.connections()) {
      let frames = 0;
      let packets = 0;
      try {
        const stats = await pc.getStats();
        stats.forEach((r) => {
          if (r.type !== "inbound-rtp" || r.kind !== "video") return;
          frames += r.framesDecoded || 0;
          packets += r.packetsReceived || 0;
        });
      } catch {
        continue;
      }
      const seen = decodeWatch.get(peerId);
      if (!seen || frames !== seen.frames) {
        decodeWatch.set(peerId, { frames, packets, changedAt: now });
        if (seen) setFrozen(peerId, false);
        continue;
      }
      const info = peers.get(peerId);
      const expectVideo = !info || info.video !== false;
      const still = expectVideo && seen.frames > 0 ? now - seen.changedAt : 0;
      // Packets arrive, yet no frame was decoded for a second: the decoder waits for a key frame.
      // (Not sooner: on a weak link a late frame is normal, and a key frame costs the most bytes.)
      if (still > KEYFRAME_AFTER_MS && packets > seen.packets) mesh.keyFrameNeeded(peerId);
      seen.packets = packets;
      if (still > STALLED_AFTER_MS) mesh.stalled(peerId, still);
      setFrozen(peerId, still > FROZEN_AFTER_MS);
    }
    for (const peerId of [...decodeWatch.keys()]) {
      if (!mesh.peers.has(peerId)) {
        decodeWatch.delete(peerId);
        setFrozen(peerId, false);
      }
    }
  }

  function setFrozen(peerId, frozen) {
    if (frozen === frozenPeers.has(peerId)) return;
    if (frozen) frozenPeers.add(peerId);
    else frozenPeers.delete(peerId);
    const tile = /** @type {HTMLElement | null} */ (document.querySelector(`.tile--remote[data-peer-id="${CSS.escape(peerId)}"]`));
    if (tile) tile.dataset.frozen = String(frozen);
    if (frozenPeers.size) status(S.frozen);
    else if (mesh && !finished) {
      restoredAt = Date.now();
      status(S.connectionRestored);
    }
  }

  // "The connection is back" stays a while: the connection's own events that follow (ICE
  // connected, recovered) would otherwise replace it at once with the plain "in the call".
  const RESTORED_SHOWN_MS = 5000;
  let restoredAt = 0;
  const restoredRecently = () => Date.now() - restoredAt < RESTORED_SHOWN_MS;
  function showInCall() {
    if (!restoredRecently()) status(S.admitted);
  }

  setInterval(() => { watchFrames().catch(() => {}); }, 250); // 4 times a second: a path change is noticed within ~0.8 s

  // A network change (Wi-Fi to mobile data): the old path is likely gone; restart at once.
  function networkChanged() {
    socket.reconnectNow();
    if (mesh) mesh.nudge();
  }
  window.addEventListener("online", networkChanged);
  if (navigator.connection && navigator.connection.addEventListener) {
    navigator.connection.addEventListener("change", networkChanged);
  }

  function closeMesh() {
    earlySignals = [];
    if (mesh) mesh.close();
    mesh = null;
    for (const tile of document.querySelectorAll(".tile--remote")) tile.remove();
    updateTileCount();
  }

  function tileFor(peerId) {
    let tile = /** @type {HTMLElement | null} */ (document.querySelector(`.tile--remote[data-peer-id="${CSS.escape(peerId)}"]`));
    if (tile) return tile;
    tile = document.createElement("figure");
    tile.className = "tile tile--remote";
    tile.dataset.peerId = peerId;
    const video = document.createElement("video");
    video.className = "remote";
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    const caption = document.createElement("figcaption");
    caption.className = "tile__name";
    tile.append(video, caption);
    $("vc-videos").append(tile);
    updateTileCount();
    labelTile(peerId);
    return tile;
  }

  function labelTile(peerId) {
    const tile = document.querySelector(`.tile--remote[data-peer-id="${CSS.escape(peerId)}"]`);
    const info = peers.get(peerId);
    if (!tile || !info) return;
    const flags = [!info.audio && S.muted, !info.video && S.videoOff].filter(Boolean);
    const text = `${info.name} · ${ROLE_LABEL[info.role] || info.role}`;
    tile.querySelector("figcaption").textContent = flags.length ? `${text} (${flags.join(", ")})` : text;
    tile.querySelector("video").setAttribute("aria-label", text);
  }

  async function attachStream(peerId, stream) {
    const video = tileFor(peerId).querySelector("video");
    if (video.srcObject === stream) return;
    video.srcObject = stream;
    try {
      await video.play();
    } catch {
      // Autoplay with sound needs a tap (iOS Safari, some Chrome cases): show video muted.
      video.muted = true;
      video.play().catch(() => {});
      $("vc-start-audio").hidden = false;
    }
  }

  function removeTile(peerId) {
    const tile = document.querySelector(`.tile--remote[data-peer-id="${CSS.escape(peerId)}"]`);
    if (tile) tile.remove();
    updateTileCount();
  }

  function updateTileCount() {
    $("vc-videos").dataset.count = String(document.querySelectorAll("#vc-videos .tile").length);
  }

  // After the socket resumed, other pages may still be reconnecting (the server restarted):
  // for a while a peer missing from presence keeps its connection while it carries media.
  const RESUME_SETTLE_MS = 15000;
  let resumedAt = 0;
  let settleTimer = 0;

  function applyPresence() {
    renderPeople();
    if (!mesh) return;
    const settling = Date.now() - resumedAt < RESUME_SETTLE_MS;
    mesh.sync([...peers.keys()], { keepConnected: settling });
    for (const peerId of peers.keys()) if (peerId !== self.peerId) labelTile(peerId);
    sendCameraCaps(false);
    if (gallery) gallery.presence();
  }

  // Everyone in the call sees who is there and in which role (resident, interpreter, …).
  function renderPeople() {
    if (self) $("vc-self-name").textContent = `${S.you} · ${ROLE_LABEL[self.role] || self.role}`;
    const list = $("vc-people");
    list.replaceChildren(...[...peers.values()].map((person) => {
      const li = document.createElement("li");
      li.dataset.role = person.role;
      const who = person.peerId === self?.peerId ? S.you : person.name;
      li.textContent = `${who} · ${ROLE_LABEL[person.role] || person.role}`;
      return li;
    }));
  }

  // Staff: lobby, roster and commands ----------------------------------------------------------

  function renderLobby(frame) {
    const lobby = $("vc-lobby");
    if (!lobby) return;
    const items = frame.waiting.map((person) => {
      const li = document.createElement("li");
      li.dataset.participantId = person.participantId;
      const name = document.createElement("span");
      name.className = "lobby__name";
      name.textContent = `${person.name} · ${ROLE_LABEL[person.role] || person.role}`;
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
    });
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = S.nobodyWaiting;
      items.push(li);
    }
    lobby.replaceChildren(...items);
    const roster = $("vc-roster");
    roster.replaceChildren(...frame.participants.map((person) => {
      const li = document.createElement("li");
      li.textContent = `${person.name} · ${ROLE_LABEL[person.role] || person.role} · ${STATE_LABEL[person.state] || person.state}`;
      const code = codeLabel(person);
      if (code) {
        const note = document.createElement("span");
        note.className = "lobby__code";
        note.dataset.codeState = person.code.state;
        note.textContent = code;
        li.append(note);
      }
      return li;
    }));
  }

  // Two-channel join: show the caseworker who is (stuck) at the SMS code step.
  function codeLabel(person) {
    const code = person.code;
    if (!code || code.state === "verified" || person.state === "declined") return "";
    // The code step comes before consent, so a resident stuck there is still "invited".
    if (person.state === "invited" && code.state === "not_requested") return "";
    const labels = {
      sending: S.codeSending, expired: S.codeExpired, locked: S.codeLocked,
      send_failed: S.codeSendFailed, not_requested: S.codeNotRequested,
    };
    if (code.state === "waiting") {
      return S.codeWaiting.replace("%(n)s", code.attempts).replace("%(m)s", code.maxAttempts);
    }
    return labels[code.state] || "";
  }

  function lobbyButton(action, label, person) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.action = action;
    button.className = `button button--small ${action === "admit" ? "button--primary" : "button--secondary"}`;
    button.textContent = label;
    button.setAttribute("aria-label", `${label}: ${person.name}`);
    button.addEventListener("click", () => socket.send(action, { participant: person.participantId }));
    return button;
  }

  function askCamera(facing) {
    const resident = [...peers.values()].find((p) => p.role === "resident");
    if (!resident) return;
    commandCounter += 1;
    socket.send("command", { to: resident.peerId, id: `c${commandCounter}`, name: "switch-camera", facing });
    $("vc-command-status").textContent = "…";
  }

  // Resident: a request from the caseworker needs a tap first ----------------------------------

  const PROMPTS = {
    "switch-camera": (frame) => ({
      text: frame.facing === "environment" ? S.promptRear : S.promptFront,
      accept: S.promptAccept,
      act: () => switchCamera(frame.facing),
    }),
    torch: (frame) => ({
      text: frame.torch ? PS.promptTorchOn : PS.promptTorchOff,
      accept: PS.promptYes,
      act: () => applyTorch(media.videoTrack, frame.torch),
    }),
    zoom: (frame) => ({
      text: PS.promptZoom,
      accept: PS.promptYes,
      act: () => applyZoom(media.videoTrack, frame.zoom),
    }),
  };

  function showPrompt(frame) {
    if (frame.name === "take-photo") {
      takePhoto(frame);
      return;
    }
    const make = PROMPTS[frame.name];
    if (!make) return;
    const { text, accept, act } = make(frame);
    const prompt = $("vc-prompt");
    $("vc-prompt-text").textContent = text;
    $("vc-prompt-accept").textContent = accept;
    prompt.hidden = false;
    const answer = async (ok) => {
      prompt.hidden = true;
      $("vc-prompt-accept").onclick = null;
      $("vc-prompt-decline").onclick = null;
      let done = ok;
      if (ok) {
        try {
          await act();
        } catch {
          done = false;
        }
      }
      socket.send("command-result", { to: frame.from, id: frame.id, ok: done });
    };
    $("vc-prompt-accept").onclick = () => answer(true);
    $("vc-prompt-decline").onclick = () => answer(false);
    $("vc-prompt-accept").focus();
  }

  // Resident: the caseworker takes a photo. Never hidden: a flash and a notice on this screen.
  const photosSent = []; // {request, sha256 (of the bytes sent), width, height, server}

  async function takePhoto(frame) {
    let ok = false;
    let code = null;
    mark("photo-start");
    try {
      const shot = await capturePhoto(media.videoTrack, $("vc-local-video"), photoConfig.jpegQuality);
      mark("photo-captured");
      showTaken($("vc-flash"), $("vc-photo-notice"), PS.photoTaken);
      const sha256 = await sha256Hex(shot.blob);
      mark("photo-hashed");
      const server = await uploadPhoto({
        url: photoConfig.uploadUrl, csrfToken: photoConfig.csrfToken, request: frame.request, blob: shot.blob,
      });
      mark("photo-uploaded");
      photosSent.push({
        request: frame.request, sha256, width: shot.width, height: shot.height, method: shot.method, server,
      });
      ok = true;
    } catch (error) {
      code = (error && error.code) || "failed";
      showTaken(null, $("vc-photo-notice"), code === "no_camera" ? PS.photoNoCamera : PS.photoFailed);
    }
    const result = { to: frame.from, id: frame.id, ok };
    if (code) result.code = String(code).replace(/[^a-z_]/g, "_").slice(0, 40);
    socket.send("command-result", result);
  }

  // Questionnaire ------------------------------------------------------------------------------
  // form.js (and from there signature.js) load only once a questionnaire exists in this call, so
  // the call page itself stays small. Frames that arrive while it loads wait in a queue.

  const FORM_FRAMES = ["form-opened", "form-state", "form-answer", "form-rejected", "form-language",
    "form-incomplete", "form-signed", "form-reopened", "form-notes", "read-aloud"];
  const formRole = config.isStaff ? "staff" : config.role === "resident" ? "resident" : null;
  let form = null;
  let formLoading = null;
  const formQueue = [];

  function loadForm() {
    if (!formLoading) {
      formLoading = import("./form.js").catch((error) => {
        formLoading = null;
        throw error;
      });
    }
    return formLoading;
  }

  function formFrame(frame) {
    if (!formRole) return;
    if (form) {
      form.handle(frame);
      return;
    }
    formQueue.push(frame);
    if (frame.type !== "form-state") return;
    loadForm().then(({ mountForm }) => {
      if (!form) {
        form = mountForm({ role: formRole, socket, strings: S, stage: $("vc-call"), panel: $("vc-form-staff"), visitId: config.visitId,
          residentPeer: () => [...peers.values()].find((p) => p.role === "resident")?.peerId ?? null });
      }
      for (const queued of formQueue.splice(0)) form?.handle(queued);
    }).catch(() => status(S.formLoadFailed));
  }

  function formError(frame) {
    if (form && form.handleError(frame)) return true;
    if (config.isStaff && (frame.code === "no_template" || frame.code === "no_form")) {
      $("vc-form-start").disabled = false;
      $("vc-form-staff-status").textContent = frame.code === "no_template" ? S.formNoTemplate : S.formNoForm;
      return true;
    }
    return false;
  }

  // Staff: the photo gallery (loads with the page; frames that come earlier wait) ---------------

  let gallery = null;
  const galleryQueue = [];
  const residentPeer = () => [...peers.values()].find((p) => p.role === "resident") || null;
  if (config.isStaff) {
    import("./gallery.js").then(({ mountGallery }) => {
      gallery = mountGallery({ socket, config: photoConfig, residentPeer });
      for (const frame of galleryQueue.splice(0)) gallery.handle(frame);
    }).catch(() => status(S.formLoadFailed));
  }

  function galleryFrame(frame) {
    if (!config.isStaff) return false;
    if (gallery) return gallery.handle(frame);
    if (frame.type !== "command-result") galleryQueue.push(frame);
    return frame.type !== "command-result";
  }

  // Socket events ------------------------------------------------------------------------------

  socket.on("open", () => mark("socket-open"));
  socket.on("welcome", (frame) => {
    mark("welcome");
    if (mesh && self && frame.self.peerId === self.peerId && frame.state === "admitted") {
      // The socket came back with the same peer id (resumed): the calls are peer-to-peer and
      // carry on; only connections to peers that changed are touched, and any that are down
      // are restarted now.
      self = frame.self;
      resumedAt = Date.now();
      clearTimeout(settleTimer);
      settleTimer = setTimeout(applyPresence, RESUME_SETTLE_MS + 100);
      ice = { iceServers: frame.iceServers, iceTransportPolicy: frame.iceTransportPolicy };
      mesh.setIceConfig(frame.iceServers, frame.iceTransportPolicy);
      if (frame.peers) peers = new Map(frame.peers.map((p) => [p.peerId, p]));
      applyPresence();
      mesh.nudge();
      status(frozenPeers.size ? S.frozen : S.admitted);
      return;
    }
    closeMesh();
    self = frame.self;
    ice = { iceServers: frame.iceServers, iceTransportPolicy: frame.iceTransportPolicy };
    if (frame.state === "admitted") {
      // Admitted already (a reconnect or staff): the peer list comes with the welcome.
      if (frame.peers) {
        peers = new Map(frame.peers.map((p) => [p.peerId, p]));
        enterCall();
      }
      return;
    }
    show("vc-waiting");
    status(S.waiting);
  });
  socket.on("admitted", () => enterCall());
  socket.on("presence", (frame) => {
    peers = new Map(frame.peers.map((p) => [p.peerId, p]));
    if (!mesh && peers.has(self.peerId)) enterCall();
    else applyPresence();
  });
  socket.on("lobby", renderLobby);
  socket.on("signal", (frame) => {
    if (frame.description) mark(`signal-${frame.description.type}`);
    if (mesh) mesh.signal(frame);
    else if (earlySignals.length < 500) earlySignals.push(frame);
  });
  socket.on("command", showPrompt);
  socket.on("command-result", (frame) => {
    if (galleryFrame(frame)) return;
    $("vc-command-status").textContent = frame.ok ? S.commandAccepted : S.commandDeclined;
  });
  for (const type of ["photo-requested", "photo-added", "photo-updated", "photo-discarded", "camera-caps"]) {
    socket.on(type, galleryFrame);
  }
  for (const type of FORM_FRAMES) socket.on(type, formFrame);
  socket.on("ice-servers", (frame) => {
    ice = { iceServers: frame.iceServers, iceTransportPolicy: frame.iceTransportPolicy };
    if (mesh) mesh.setIceConfig(frame.iceServers, frame.iceTransportPolicy);
  });
  socket.on("denied", () => showMessage(S.denied));
  socket.on("ended", (frame) => finish(frame.reason === "removed" ? S.removed : S.ended));
  socket.on("replaced", () => finish(S.replaced));
  socket.on("error", (frame) => {
    if (frame.code === "room_full") {
      if (self && mesh) $("vc-command-status").textContent = S.full;
      else finish(S.full, "", { retry: true });
    } else if (frame.code === "unauthorized") {
      finish(S.unauthorized);
    } else if (frame.code === "denied") {
      finish(S.denied); // reconnecting after a "no" does not put anyone back in the waiting room
    } else if (formError(frame)) {
      // shown next to the questionnaire
    } else if (gallery && gallery.handleError(frame)) {
      // shown in the photo panel
    } else {
      console.warn("room error", frame.code, frame.message);
    }
  });
  socket.on("reconnecting", () => {
    if (!finished) status(S.reconnecting);
  });
  socket.on("final-close", ({ code }) => {
    if (finished) return;
    if (code === 4429) finish(S.full, "", { retry: true });
    else if (code === 4410) finish(S.ended);
    else if (code === 4401 || code === 4403) finish(S.unauthorized);
  });

  // Controls -----------------------------------------------------------------------------------

  function toggle(button, enabled) {
    button.setAttribute("aria-pressed", String(!enabled));
  }

  $("vc-mute").addEventListener("click", () => {
    media.setAudio(!media.audioEnabled);
    toggle($("vc-mute"), media.audioEnabled);
    sendMediaState();
  });
  $("vc-camera").addEventListener("click", () => {
    media.setVideo(!media.videoEnabled);
    toggle($("vc-camera"), media.videoEnabled);
    sendMediaState();
  });
  $("vc-flip").addEventListener("click", () => switchCamera().catch(() => status(S.noCamera)));
  $("vc-hangup").addEventListener("click", () => {
    socket.send("leave");
    socket.close();
    finish(S.left);
  });
  $("vc-start-audio").addEventListener("click", () => {
    for (const video of /** @type {NodeListOf<HTMLVideoElement>} */ (document.querySelectorAll("video.remote"))) {
      video.muted = false;
      video.play().catch(() => {});
    }
    $("vc-start-audio").hidden = true;
  });
  if (config.isStaff) {
    $("vc-end").addEventListener("click", () => {
      if (window.confirm(S.confirmEnd)) socket.send("end");
    });
    $("vc-ask-rear").addEventListener("click", () => askCamera("environment"));
    $("vc-ask-front").addEventListener("click", () => askCamera("user"));
    $("vc-form-start").addEventListener("click", () => {
      if (!socket.send("form-start")) return;
      $("vc-form-start").disabled = true;
      $("vc-form-staff-status").textContent = S.formStarting;
      loadForm().catch(() => {}); // fetch the module while the server starts the questionnaire
    });
  }

  // Read-only views of the call for the browser tests (getStats has no accessible name); only when
  // the server's CALL_DEBUG_HOOKS setting is on, never in production.
  if (config.debugHooks) window.vcDebug = {
    peers: () => (mesh ? mesh.connections() : new Map()),
    frozen: () => [...frozenPeers],
    recovery: () => recoveryLog.slice(-50),
    self: () => self,
    weak: () => weak.debug(),
    form: { state: () => (form ? form.state() : null) },
    photos: { sent: () => photosSent.map((p) => ({ ...p })), gallery: () => (gallery ? gallery.photos() : []) },
  };

  mountInsights({ socket, connections: () => (mesh ? mesh.connections() : new Map()) });
  status(S.connecting);
  const mediaReady = startMedia();
  socket.connect();
}
