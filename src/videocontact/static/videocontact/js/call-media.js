// This page's camera and microphone in the call: start them, tell the others their state
// (`media` frame), switch between front and rear camera, and (resident) tell the caseworker
// what the camera can do (`camera-caps`: torch, zoom).
import { cameraCaps } from "./capture.js";
import { mark } from "./call-marks.js";

/**
 * @param {{config: any, media: any, socket: any, sendingVideo: () => boolean, mesh: () => any,
 *          peers: () => Map<string, any>, status: (text: string) => void,
 *          strings: Record<string, string>}} options
 */
export function createCallMedia({ config, media, socket, sendingVideo, mesh, peers, status, strings: S }) {
  /** @type {(id: string) => any} the page's elements, by id */
  const $ = (id) => document.getElementById(id);

  async function start() {
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

  function sendState() {
    socket.send("media", { audio: media.audioEnabled, video: media.videoEnabled && sendingVideo(),
                           facing: media.videoTrack ? media.facing : null });
  }

  // The caseworker sees torch and zoom controls only when this camera track has them.
  let capsSentTo = "";
  function sendCameraCaps(force = true) {
    if (config.role !== "resident" || !mesh() || !media.videoTrack) return;
    const peerKey = [...peers().keys()].sort().join(",");
    if (!force && peerKey === capsSentTo) return;
    capsSentTo = peerKey;
    socket.send("camera-caps", cameraCaps(media.videoTrack));
  }

  /** @param {string} [facing] "user" or "environment"; without it: the other one */
  async function switchCamera(facing) {
    const track = await media.switchFacing(facing);
    $("vc-local-video").srcObject = media.stream;
    if (mesh()) await mesh().replaceVideoTrack(track);
    sendState();
    sendCameraCaps();
  }

  return { start, sendState, sendCameraCaps, switchCamera };
}
