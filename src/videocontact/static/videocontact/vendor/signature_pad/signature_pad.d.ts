// Types of the vendored signature_pad.js for the project's type check (`make lint`, tsconfig.json):
// only what js/signature.js uses. Written for this project, not part of the package.
export interface PointGroup {
  points: { x: number; y: number; time: number; pressure?: number }[];
  [key: string]: unknown;
}

export default class SignaturePad extends EventTarget {
  constructor(canvas: HTMLCanvasElement, options?: Record<string, unknown>);
  clear(): void;
  isEmpty(): boolean;
  toData(): PointGroup[];
  fromData(pointGroups: PointGroup[], options?: { clear?: boolean }): void;
  on(): void;
  off(): void;
}
