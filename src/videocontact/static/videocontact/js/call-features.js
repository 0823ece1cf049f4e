// The questionnaire and the photo gallery on the call page, loaded on demand so the call page
// itself stays small. Frames that arrive while a module loads wait in a queue.

export const FORM_FRAMES = ["form-opened", "form-state", "form-answer", "form-rejected", "form-language",
  "form-incomplete", "form-signed", "form-reopened", "form-notes", "read-aloud"];

/**
 * The questionnaire: form.js (and from there signature.js) load only once a questionnaire exists
 * in this call.
 * @param {{config: any, socket: any, strings: Record<string, string>, status: (text: string) => void,
 *          peers: () => Map<string, any>}} options
 */
export function createFormLoader({ config, socket, strings: S, status, peers }) {
  /** @type {(id: string) => any} the page's elements, by id */
  const $ = (id) => document.getElementById(id);
  const formRole = config.isStaff ? "staff" : config.role === "resident" ? "resident" : null;
  let form = null;
  let formLoading = null;
  const formQueue = [];

  function load() {
    if (!formLoading) {
      formLoading = import("./form.js").catch((error) => {
        formLoading = null;
        throw error;
      });
    }
    return formLoading;
  }

  /** One of FORM_FRAMES. */
  function frame(frame) {
    if (!formRole) return;
    if (form) {
      form.handle(frame);
      return;
    }
    formQueue.push(frame);
    if (frame.type !== "form-state") return;
    load().then(({ mountForm }) => {
      if (!form) {
        form = mountForm({ role: formRole, socket, strings: S, stage: $("vc-call"), panel: $("vc-form-staff"), visitId: config.visitId,
          residentPeer: () => [...peers().values()].find((p) => p.role === "resident")?.peerId ?? null });
      }
      for (const queued of formQueue.splice(0)) form?.handle(queued);
    }).catch(() => status(S.formLoadFailed));
  }

  /** An `error` frame: true when it was the questionnaire's (and is shown next to it). */
  function error(frame) {
    if (form && form.handleError(frame)) return true;
    if (config.isStaff && (frame.code === "no_template" || frame.code === "no_form")) {
      $("vc-form-start").disabled = false;
      $("vc-form-staff-status").textContent = frame.code === "no_template" ? S.formNoTemplate : S.formNoForm;
      return true;
    }
    return false;
  }

  return { load, frame, error, state: () => (form ? form.state() : null) };
}

/**
 * Staff: the photo gallery (gallery.js starts loading at once; frames that come earlier wait).
 * @param {{config: any, photoConfig: any, socket: any, strings: Record<string, string>,
 *          status: (text: string) => void, peers: () => Map<string, any>}} options
 */
export function createGalleryLoader({ config, photoConfig, socket, strings: S, status, peers }) {
  let gallery = null;
  const galleryQueue = [];
  const residentPeer = () => [...peers().values()].find((p) => p.role === "resident") || null;
  if (config.isStaff) {
    import("./gallery.js").then(({ mountGallery }) => {
      gallery = mountGallery({ socket, config: photoConfig, residentPeer });
      for (const frame of galleryQueue.splice(0)) gallery.handle(frame);
    }).catch(() => status(S.formLoadFailed));
  }

  /** A photo frame or a `command-result`: true when the gallery takes it. */
  function frame(frame) {
    if (!config.isStaff) return false;
    if (gallery) return gallery.handle(frame);
    if (frame.type !== "command-result") galleryQueue.push(frame);
    return frame.type !== "command-result";
  }

  return {
    frame,
    presence: () => { if (gallery) gallery.presence(); },
    /** An `error` frame: true when it was the gallery's (and is shown in the photo panel). */
    error: (frame) => Boolean(gallery && gallery.handleError(frame)),
    photos: () => (gallery ? gallery.photos() : []),
  };
}
