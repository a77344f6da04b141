// In the single executable yoga-layout is loaded without top-level await (scripts/ink-cjs.mjs):
// wait for its wasm before Ink lays anything out. Unbundled, the module is ready on import.
import * as yoga from 'yoga-layout';

export async function yogaReady(): Promise<void> {
  await (yoga as unknown as { ready?: Promise<void> }).ready;
}
