// Stand-in for `yoga-layout` in the CommonJS bundle (see ink-cjs.mjs): the same wasm build, loaded
// without top-level await; `ready` settles once the default export is filled in. The wasm bytes
// come as a string of their own (not the glue's data: URL, which it would fetch through undici,
// ~10 ms of loading before any compile), and compile asynchronously, on V8's background threads,
// from the moment this module is first imported (core/ui/early does so right after the picker's
// first page is painted, while Ink's code loads).
import loadYogaGlue from '../node_modules/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js';
import wrapAssembly from '../node_modules/yoga-layout/dist/src/wrapAssembly.js';
import wasmBase64 from 'codex-yoga-wasm';

const Yoga = {};
const compiled = WebAssembly.compile(Buffer.from(wasmBase64, 'base64'));
export const ready = new Promise((resolve, reject) => {
  const glue = loadYogaGlue({
    instantiateWasm(imports, receive) {
      compiled.then((m) => WebAssembly.instantiate(m, imports)).then((instance) => receive(instance, undefined), reject);
      return {};
    },
  });
  glue.then((y) => {
    Object.assign(Yoga, wrapAssembly(y));
    resolve();
  }, reject);
});
export default Yoga;
