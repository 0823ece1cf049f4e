// Resident: a request from the caseworker (switch camera, torch, zoom) needs a tap first; a
// photo is taken at once, never hidden: a flash and a notice on this screen. Either way the
// caseworker's page gets a `command-result`.
import { applyTorch, applyZoom, capturePhoto, sha256Hex, showTaken, uploadPhoto } from "./capture.js";
import { mark } from "./call-marks.js";

/**
 * The resident's side of the caseworker's commands.
 * @param {{socket: any, media: any, switchCamera: (facing: string) => Promise<void>,
 *          strings: Record<string, string>, photoConfig: any}} options
 */
export function createPrompts({ socket, media, switchCamera, strings: S, photoConfig }) {
  const PS = photoConfig.strings;
  /** @type {(id: string) => any} the page's elements, by id */
  const $ = (id) => document.getElementById(id);
  const photosSent = []; // {request, sha256 (of the bytes sent), width, height, method, server}

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

  /** A `command` frame from the caseworker. */
  function show(frame) {
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

  return {
    show,
    /** The photos this page sent (copies), for the browser tests. */
    photosSent: () => photosSent.map((p) => ({ ...p })),
  };
}
