// The files a patch touches, from its headers only (the full parse and apply run in the apply_patch
// program). Used to check every path against the policy before anything runs.
import type { FileChangeKind } from './types.js';

export interface TouchedPath {
  path: string;
  kind: FileChangeKind;
}

const HEADER = /^\s*\*\*\* (Add File|Delete File|Update File|Move to): (.+?)\s*$/;

/** Pure. A Move contributes both its source (update) and destination (add). */
export function touchedPaths(patch: string): TouchedPath[] {
  const out: TouchedPath[] = [];
  for (const line of patch.split(/\r?\n/)) {
    const m = HEADER.exec(line);
    if (!m) continue;
    const p = m[2]!;
    switch (m[1]) {
      case 'Add File':
        out.push({ path: p, kind: 'add' });
        break;
      case 'Delete File':
        out.push({ path: p, kind: 'delete' });
        break;
      case 'Update File':
        out.push({ path: p, kind: 'update' });
        break;
      case 'Move to':
        out.push({ path: p, kind: 'add' });
        break;
    }
  }
  return out;
}
