// Stand-in for `yoga-layout` in the CommonJS bundle (see ink-cjs.mjs): the same wasm build, loaded
// without top-level await; `ready` settles once the default export is filled in.
import { loadYoga } from 'yoga-layout/load';

const Yoga = {};
export const ready = loadYoga().then((y) => {
  Object.assign(Yoga, y);
});
export default Yoga;
