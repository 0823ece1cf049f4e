// The call page, for residents, guests and staff: waiting room, call, controls, lobby.
// `mount(config, photoConfig)` (call-page-entry.js, with the page's "vc-config" and
// "vc-photo-config"): everything below runs only when mounted. This module is the composition
// root: it holds the call's state (who this page is, the peers, the mesh), follows the room
// socket's frames and hands the rest to small parts, none of which acts when imported:
//   call-media.js     this page's camera and microphone, its `media` and `camera-caps` frames
//   call-tiles.js     the remote peers' video tiles
//   frame-watch.js    frozen pictures (decoded frames stop): tell the person, restart ICE
//   call-people.js    role names, "Who is in the call"
//   call-lobby.js     staff: the waiting room and the roster
//   call-prompts.js   resident: the caseworker's requests, taking a photo
//   call-features.js  the questionnaire and the photo gallery, loaded on demand
//   call-controls.js  the buttons
//   call-marks.js     performance marks (`vc:*`)
import { Mesh } from "./call.js";
import { mountControls } from "./call-controls.js";
import { createFormLoader, createGalleryLoader, FORM_FRAMES } from "./call-features.js";
import { createLobby } from "./call-lobby.js";
import { createCallMedia } from "./call-media.js";
import { mark } from "./call-marks.js";
import { renderPeople, roleNamer } from "./call-people.js";
import { createPrompts } from "./call-prompts.js";
import { createTiles } from "./call-tiles.js";
import { mountFrameWatch } from "./frame-watch.js";
import { LocalMedia } from "./media.js";
import { mountInsights } from "./insights.js";
import { RoomSocket } from "./room.js";
import { mountWeakNetwork } from "./weak-network.js";

// After the socket resumed, other pages may still be reconnecting (the server restarted):
// for a while a peer missing from presence keeps its connection while it carries media.
const RESUME_SETTLE_MS = 15000;

/**
 * The call on this page.
 * @param {any} config the page's "vc-config"
 * @param {any} photoConfig the page's "vc-photo-config"
 */
export function mount(config, photoConfig) {
  const S = config.strings;
  /** @type {(id: string) => any} the page's elements, by id (each one's kind is known here) */
  const $ = (id) => document.getElementById(id);
  const roleName = roleNamer(S);

  const media = new LocalMedia();
  const socket = new RoomSocket(config.wsPath);
  // Feature apps on this page (language: live captions) get the room socket through one event.
  document.dispatchEvent(new CustomEvent("vc:room-socket", { detail: { socket, isStaff: config.isStaff } }));
  let self = null;
  let ice = { iceServers: [], iceTransportPolicy: "all" };
  let mesh = null;
  let peers = new Map(); // peerId → presence entry
  let finished = false;
  const connections = () => (mesh ? mesh.connections() : new Map());
  // A weak network: the video steps down, and the person may choose sound only (weak-network.js).
  const weak = mountWeakNetwork({ socket, connections,
    strings: S, status: (text) => status(text), onModeChange: () => callMedia.sendState() });

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

  // The parts of the page ---------------------------------------------------------------------

  const callMedia = createCallMedia({ config, media, socket, sendingVideo: () => weak.sendingVideo(),
    mesh: () => mesh, peers: () => peers, status, strings: S });
  const tiles = createTiles({ peers: () => peers, roleName, strings: S });
  const watch = mountFrameWatch({ mesh: () => mesh, peers: () => peers, inCall: () => Boolean(mesh && !finished),
    markTile: tiles.markFrozen, status, strings: S });
  const recoveryLog = []; // for support staff and tests (window.vcDebug.recovery)
  const renderLobby = createLobby({ send: (type, payload) => socket.send(type, payload), roleName, strings: S });
  const prompts = createPrompts({ socket, media, switchCamera: callMedia.switchCamera, strings: S, photoConfig });
  const form = createFormLoader({ config, socket, strings: S, status, peers: () => peers });
  const gallery = createGalleryLoader({ config, photoConfig, socket, strings: S, status, peers: () => peers });

  // Call --------------------------------------------------------------------------------------

  let entering = false;
  let earlySignals = []; // signals that arrive before the call is set up (camera still starting)

  // "In the call" after the connection's own events, unless "the connection is back" was just said.
  function showInCall() {
    if (!watch.restoredRecently()) status(S.admitted);
  }

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
    mesh.on("remote-stream", ({ peerId, stream }) => tiles.attach(peerId, stream));
    mesh.on("peer-removed", ({ peerId }) => tiles.remove(peerId));
    mesh.on("ice-restart", ({ peerId, attempt }) => {
      recoveryLog.push({ t: Date.now(), event: "ice-restart", peerId, attempt });
      if (watch.any()) status(S.frozen); // "frozen" says more
      else if (!watch.restoredRecently()) status(S.connectionProblem);
    });
    mesh.on("keyframe-requested", ({ peerId }) => {
      recoveryLog.push({ t: Date.now(), event: "keyframe-requested", peerId });
    });
    mesh.on("recovered", () => (watch.any() ? status(S.frozen) : showInCall()));
    mesh.on("peer-state", ({ state }) => {
      if (state === "connected") mark("peer-connected");
      if (state === "connected") showInCall();
    });
    callMedia.sendState();
    applyPresence();
    callMedia.sendCameraCaps();
    for (const frame of early) mesh.signal(frame);
  }

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
    tiles.removeAll();
  }

  let resumedAt = 0;
  let settleTimer = 0;

  function applyPresence() {
    renderPeople({ self, peers, roleName, strings: S });
    if (!mesh) return;
    const settling = Date.now() - resumedAt < RESUME_SETTLE_MS;
    mesh.sync([...peers.keys()], { keepConnected: settling });
    for (const peerId of peers.keys()) if (peerId !== self.peerId) tiles.label(peerId);
    callMedia.sendCameraCaps(false);
    gallery.presence();
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
      status(watch.any() ? S.frozen : S.admitted);
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
  socket.on("command", prompts.show);
  socket.on("command-result", (frame) => {
    if (gallery.frame(frame)) return;
    $("vc-command-status").textContent = frame.ok ? S.commandAccepted : S.commandDeclined;
  });
  for (const type of ["photo-requested", "photo-added", "photo-updated", "photo-discarded", "camera-caps"]) {
    socket.on(type, gallery.frame);
  }
  for (const type of FORM_FRAMES) socket.on(type, form.frame);
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
    } else if (form.error(frame)) {
      // shown next to the questionnaire
    } else if (gallery.error(frame)) {
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

  mountControls({ config, socket, media, strings: S, status, sendMediaState: callMedia.sendState,
    switchCamera: callMedia.switchCamera, finish,
    startAudio: tiles.startAudio, loadForm: form.load, peers: () => peers });

  // Read-only views of the call for the browser tests (getStats has no accessible name); only when
  // the server's CALL_DEBUG_HOOKS setting is on, never in production.
  if (config.debugHooks) window.vcDebug = {
    peers: () => (mesh ? mesh.connections() : new Map()),
    frozen: () => watch.frozen(),
    recovery: () => recoveryLog.slice(-50),
    self: () => self,
    weak: () => weak.debug(),
    form: { state: () => form.state() },
    photos: { sent: () => prompts.photosSent(), gallery: () => gallery.photos() },
  };

  mountInsights({ socket, connections });
  status(S.connecting);
  const mediaReady = callMedia.start();
  socket.connect();
}
