// Types of the vendored sortable.core.esm.js for the project's type check (`make lint`,
// tsconfig.json): only what js/builder.js uses. Written for this project, not part of the package.
export default class Sortable {
  static create(element: HTMLElement, options?: Record<string, any>): Sortable;
  destroy(): void;
}
