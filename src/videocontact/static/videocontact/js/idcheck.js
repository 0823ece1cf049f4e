// The identity document check (evidence app, DPIA-gated; docs/protocol.md "Photos"): the
// caseworker takes a full-resolution copy through the ordinary photo path (`photo-take` with
// kind "id-document"; the resident's capture.js takes and uploads it), then draws boxes over
// the citizen service number and the passport photo; the server burns them in and keeps only
// the masked copy. The room socket arrives through the "vc:room-socket" event.

/** @type {any} the ID check's config ("vc-idcheck-config"), set by mount() */
let config = null;
/** @type {any} the photo config ("vc-photo-config") */
let photoConfig = {};
/** @type {Record<string, string>} */
let S = {};

function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

function fmt(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
}

/** Boxes drawn with a pointer over an image, kept in the image's own pixels. */
export class MaskEditor {
  constructor(photo, onSaved) {
    this.photo = photo;
    this.onSaved = onSaved;
    this.rects = [];
    this.drag = null;
    const time = new Date(photo.capturedAt).toLocaleTimeString();
    this.image = h("img", { class: "idcheck__image", alt: fmt(S.idCopyAlt, { time }), src: `${photo.url}?v=${photo.sha256}` });
    this.layer = h("div", { class: "idcheck__layer" });
    this.stage = h("div", { class: "idcheck__stage" }, this.image, this.layer);
    this.count = h("p", { class: "muted", text: fmt(S.idAreas, { count: 0 }) });
    this.status = h("p", { class: "idcheck__status", role: "status", "aria-live": "polite" });
    this.save = h("button", { type: "button", class: "button button--primary", text: S.idMask, disabled: true,
      onclick: () => this.submit() });
    this.clear = h("button", { type: "button", class: "button button--secondary", text: S.idClear,
      onclick: () => { this.rects = []; this.render(); } });
    this.node = h("li", { class: "idcheck__item", "data-photo": photo.id },
      this.stage, this.keyboardForm(), this.count,
      h("div", { class: "staff-panel__actions" }, this.save, this.clear), this.status);
    this.stage.addEventListener("pointerdown", (event) => this.start(event));
    this.stage.addEventListener("pointermove", (event) => this.move(event));
    this.stage.addEventListener("pointerup", (event) => this.end(event));
    this.stage.addEventListener("pointercancel", () => { this.drag = null; this.render(); });
  }

  /** The same boxes without a pointer: whole image pixels, typed in (WCAG 2.1.1). */
  keyboardForm() {
    const fields = ["idX", "idY", "idWidth", "idHeight"].map((key) => {
      const id = `vc-id-${key}-${this.photo.id}`;
      const input = h("input", { id, type: "number", inputmode: "numeric", min: "0", step: "1" });
      return [input, h("div", { class: "field idcheck__field" }, h("label", { for: id, text: S[key] }), input)];
    });
    const add = h("button", { type: "button", class: "button button--secondary", text: S.idAdd, onclick: () => {
      const [x, y, w, hgt] = fields.map(([input]) => Number.parseInt(input.value, 10));
      const fits = [x, y, w, hgt].every(Number.isFinite) && x >= 0 && y >= 0 && w >= 4 && hgt >= 4
        && x + w <= this.photo.width && y + hgt <= this.photo.height;
      if (!fits || this.photo.masked || this.rects.length >= 20) {
        this.status.textContent = fmt(S.idAreaInvalid, { width: this.photo.width, height: this.photo.height });
        return;
      }
      this.rects.push([x, y, w, hgt]);
      this.status.textContent = "";
      this.render();
    } });
    return h("details", { class: "idcheck__keyboard" }, h("summary", { text: S.idKeyboard }),
      ...fields.map(([, field]) => field), add);
  }

  point(event) {
    const box = this.image.getBoundingClientRect();
    const scaleX = this.photo.width / box.width;
    const scaleY = this.photo.height / box.height;
    const x = Math.min(Math.max(event.clientX - box.left, 0), box.width) * scaleX;
    const y = Math.min(Math.max(event.clientY - box.top, 0), box.height) * scaleY;
    return [Math.round(x), Math.round(y)];
  }

  start(event) {
    if (this.photo.masked) return;
    event.preventDefault();
    this.stage.setPointerCapture?.(event.pointerId);
    this.drag = { from: this.point(event), to: this.point(event) };
  }

  move(event) {
    if (!this.drag) return;
    this.drag.to = this.point(event);
    this.render();
  }

  end(event) {
    if (!this.drag) return;
    this.drag.to = this.point(event);
    const rect = this.toRect(this.drag);
    this.drag = null;
    if (rect[2] >= 4 && rect[3] >= 4 && this.rects.length < 20) this.rects.push(rect);
    this.render();
  }

  toRect({ from, to }) {
    const x = Math.min(from[0], to[0]);
    const y = Math.min(from[1], to[1]);
    return [x, y, Math.abs(to[0] - from[0]), Math.abs(to[1] - from[1])];
  }

  render() {
    const boxes = [...this.rects];
    if (this.drag) boxes.push(this.toRect(this.drag));
    this.layer.replaceChildren(...boxes.map(([x, y, w, hgt]) => {
      const box = h("span", { class: "idcheck__box" });
      box.style.left = `${(x / this.photo.width) * 100}%`;
      box.style.top = `${(y / this.photo.height) * 100}%`;
      box.style.width = `${(w / this.photo.width) * 100}%`;
      box.style.height = `${(hgt / this.photo.height) * 100}%`;
      return box;
    }));
    this.count.textContent = fmt(S.idAreas, { count: this.rects.length });
    this.save.disabled = this.photo.masked || !this.rects.length;
  }

  async submit() {
    this.save.disabled = true;
    try {
      const response = await fetch(this.photo.maskUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": photoConfig.csrfToken },
        body: JSON.stringify({ areas: this.rects }),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.error?.message || String(response.status));
      this.rects = [];
      this.update(data.photo);
      this.status.textContent = S.idMasked;
      this.onSaved?.(data.photo);
    } catch (error) {
      this.status.textContent = fmt(S.idMaskFailed, { message: error.message });
      this.render();
    }
  }

  update(photo) {
    this.photo = photo;
    this.image.src = `${photo.url}?v=${photo.sha256}`;
    this.stage.classList.toggle("idcheck__stage--masked", !!photo.masked);
    this.render();
  }
}

export function mountIdCheck(socket, panel) {
  let resident = null;
  const editors = new Map();
  const status = h("p", { class: "muted", role: "status", "aria-live": "polite" });
  const list = h("ol", { class: "idcheck__list" });
  const take = h("button", { type: "button", class: "button button--primary", text: S.idTake, onclick: () => {
    if (!resident) { status.textContent = S.idNoResident; return; }
    if (socket.send("photo-take", { participant: resident, kind: "id-document" })) status.textContent = S.idRequested;
  } });
  panel.append(
    h("p", { class: "muted", text: fmt(S.idIntro, { watermark: config.watermark }) }),
    h("div", { class: "staff-panel__actions" }, take), status,
    h("p", { class: "muted", text: S.idMaskHelp }), list);
  socket.on("presence", (frame) => {
    resident = frame.peers?.find((p) => p.role === "resident")?.participantId ?? null;
  });
  const show = (photo) => {
    if (photo?.kind !== "id-document") return;
    const known = editors.get(photo.id);
    if (known) { known.update(photo); return; }
    const editor = new MaskEditor(photo);
    editors.set(photo.id, editor);
    list.append(editor.node);
    editor.render();
    status.textContent = "";
  };
  socket.on("photo-added", (frame) => show(frame.photo));
  socket.on("photo-updated", (frame) => show(frame.photo));
  socket.on("photo-discarded", (frame) => { editors.get(frame.id)?.node.remove(); editors.delete(frame.id); });
}

/**
 * @param {any} pageConfig the ID check's config, or null when the module is off
 * @param {any} photos the photo config
 */
export function mount(pageConfig, photos) {
  if (!pageConfig?.strings) return;
  config = pageConfig;
  photoConfig = photos || {};
  S = pageConfig.strings;
  document.addEventListener("vc:room-socket", (event) => {
    const { socket, isStaff } = /** @type {CustomEvent} */ (event).detail;
    const panel = document.getElementById("vc-idcheck");
    if (panel && isStaff) mountIdCheck(socket, panel);
  }, { once: true });
}
