// What a page entry reads from its page: the JSON a template wrote with `json_script`.

/**
 * The parsed JSON of `<script type="application/json" id="…">`, or null when the page has none.
 * @param {string} id
 * @returns {any}
 */
export function jsonConfig(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent || "null") : null;
}
