// Performance marks of the call page (`vc:<name>`): bench/ scripts and browser tests read them.

/** @param {string} name */
export function mark(name) {
  if (performance.mark) performance.mark(`vc:${name}`);
}
