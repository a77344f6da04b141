import type * as Koffi from 'koffi';
import { loadAddon, loadedAddonFile } from './assets.js';
import { bindRawIo, type RawIo } from './raw-io.js';

export type KoffiApi = typeof Koffi;

let api: KoffiApi | undefined;

/** The koffi API (raw native exports; the package's JS wrapper only adds deprecated aliases). */
export function koffi(): KoffiApi {
  api ??= loadAddon<KoffiApi>('koffi');
  return api;
}

let libcLib: Koffi.LibraryHandle | undefined;
export function libc(): Koffi.LibraryHandle {
  libcLib ??= koffi().load('libc.so.6');
  return libcLib;
}

type LibcFn = (...args: unknown[]) => number;

/**
 * A lazily bound table of libc functions by prototype (bound at first call, so importing a module
 * loads nothing).
 *
 * @example const f = libcFunctions({ setsid: 'int setsid(void)' }); f().setsid();
 */
export function libcFunctions<K extends string>(protos: Record<K, string>): () => Record<K, LibcFn> {
  let fns: Record<K, LibcFn> | undefined;
  return () => {
    if (fns) return fns;
    const lib = libc();
    const out = {} as Record<K, LibcFn>;
    for (const k of Object.keys(protos) as K[]) out[k] = lib.func(protos[k]) as unknown as LibcFn;
    return (fns = out);
  };
}

/**
 * The main thread's RawIo (raw-io.ts), with the koffi file a helper thread dlopens to bind its
 * own, or undefined where koffi or libc cannot be loaded.
 */
export function rawIo(): { io: RawIo; koffiFile: string | undefined } | undefined {
  if (mine === undefined) {
    try {
      mine = { io: bindRawIo(koffi()), koffiFile: loadedAddonFile('koffi') };
    } catch {
      mine = null;
    }
  }
  return mine ?? undefined;
}
// Bound once per process (one libzstd context for every search of a long-lived process).
let mine: { io: RawIo; koffiFile: string | undefined } | null | undefined;
