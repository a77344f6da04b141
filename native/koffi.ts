import type * as Koffi from 'koffi';
import { loadAddon } from './assets.js';

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
