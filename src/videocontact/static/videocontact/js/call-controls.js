// The call's buttons: microphone, camera, switch camera, leave, the sound after a blocked
// autoplay; for staff also end for everyone, ask for the rear or front camera, start the
// questionnaire.

/**
 * Wire the controls of the call page.
 * @param {{config: any, socket: any, media: any, strings: Record<string, string>,
 *          status: (text: string) => void, sendMediaState: () => void,
 *          switchCamera: (facing?: string) => Promise<void>, finish: (title: string) => void,
 *          startAudio: () => void, loadForm: () => Promise<any>, peers: () => Map<string, any>}} options
 */
export function mountControls({ config, socket, media, strings: S, status, sendMediaState, switchCamera, finish,
  startAudio, loadForm, peers }) {
  /** @type {(id: string) => any} the page's elements, by id */
  const $ = (id) => document.getElementById(id);
  let commandCounter = 0;

  function toggle(button, enabled) {
    button.setAttribute("aria-pressed", String(!enabled));
  }

  function askCamera(facing) {
    const resident = [...peers().values()].find((p) => p.role === "resident");
    if (!resident) return;
    commandCounter += 1;
    socket.send("command", { to: resident.peerId, id: `c${commandCounter}`, name: "switch-camera", facing });
    $("vc-command-status").textContent = "…";
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
  $("vc-start-audio").addEventListener("click", startAudio);
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
}
