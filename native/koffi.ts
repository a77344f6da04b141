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
