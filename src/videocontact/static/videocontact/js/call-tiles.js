// The call's video tiles: one <figure> per remote peer in #vc-videos, with its name, role and
// (muted, camera off) flags, and the "Tap to turn on the sound" button when autoplay needs a tap.

/** @param {string} peerId */
function findTile(peerId) {
  return /** @type {HTMLElement | null} */ (document.querySelector(`.tile--remote[data-peer-id="${CSS.escape(peerId)}"]`));
}

/**
 * The remote peers' tiles.
 * @param {{peers: () => Map<string, any>, roleName: (role: string) => string,
 *          strings: Record<string, string>}} options
 */
export function createTiles({ peers, roleName, strings: S }) {
  const videos = () => /** @type {HTMLElement} */ (document.getElementById("vc-videos"));

  function updateCount() {
    videos().dataset.count = String(document.querySelectorAll("#vc-videos .tile").length);
  }

  /** @param {string} peerId */
  function label(peerId) {
    const tile = findTile(peerId);
    const info = peers().get(peerId);
    if (!tile || !info) return;
    const flags = [!info.audio && S.muted, !info.video && S.videoOff].filter(Boolean);
    const text = `${info.name} · ${roleName(info.role)}`;
    tile.querySelector("figcaption").textContent = flags.length ? `${text} (${flags.join(", ")})` : text;
    tile.querySelector("video").setAttribute("aria-label", text);
  }

  /** @param {string} peerId */
  function tileFor(peerId) {
    let tile = findTile(peerId);
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
    videos().append(tile);
    updateCount();
    label(peerId);
    return tile;
  }

  /** @param {string} peerId @param {MediaStream} stream */
  async function attach(peerId, stream) {
    const video = tileFor(peerId).querySelector("video");
    if (video.srcObject === stream) return;
    video.srcObject = stream;
    try {
      await video.play();
    } catch {
      // Autoplay with sound needs a tap (iOS Safari, some Chrome cases): show video muted.
      video.muted = true;
      video.play().catch(() => {});
      document.getElementById("vc-start-audio").hidden = false;
    }
  }

  /** @param {string} peerId */
  function remove(peerId) {
    const tile = findTile(peerId);
    if (tile) tile.remove();
    updateCount();
  }

  function removeAll() {
    for (const tile of document.querySelectorAll(".tile--remote")) tile.remove();
    updateCount();
  }

  /** @param {string} peerId @param {boolean} frozen */
  function markFrozen(peerId, frozen) {
    const tile = findTile(peerId);
    if (tile) tile.dataset.frozen = String(frozen);
  }

  /** The sound was blocked until a tap: the tap turns it on for every remote video. */
  function startAudio() {
    for (const video of /** @type {NodeListOf<HTMLVideoElement>} */ (document.querySelectorAll("video.remote"))) {
      video.muted = false;
      video.play().catch(() => {});
    }
    document.getElementById("vc-start-audio").hidden = true;
  }

  return { label, attach, remove, removeAll, markFrozen, startAudio };
}
