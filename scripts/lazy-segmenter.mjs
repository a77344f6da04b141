// Injected into the bundle for `Intl.Segmenter` (scripts/ink-cjs.mjs): Ink's text libraries each
// make a segmenter when they load (~40 ms of ICU data for the first, at every `codex resume`),
// though most text never reaches one (see the string-width cut). This one is made at first use.
export class CodexLazySegmenter {
  #args;
  #real;
  constructor(...args) {
    this.#args = args;
  }
  #get() {
    return (this.#real ??= new globalThis.Intl.Segmenter(...this.#args));
  }
  segment(text) {
    return this.#get().segment(text);
  }
  resolvedOptions() {
    return this.#get().resolvedOptions();
  }
}
