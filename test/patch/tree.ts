// Tree snapshots for the apply_patch tests: relative path → 'dir' or the file's bytes (hex), the
// same comparison the upstream scenario harness makes.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Snapshot = Record<string, string>;

export function snapshot(root: string): Snapshot {
  const out: Snapshot = {};
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out[r] = 'dir';
        walk(p, r);
      } else if (e.isSymbolicLink()) {
        out[r] = `link:${fs.readlinkSync(p)}`;
      } else {
        out[r] = fs.readFileSync(p).toString('hex');
      }
    }
  };
  if (fs.existsSync(root)) walk(root, '');
  return out;
}

/** Human-readable form for failure messages (utf8 instead of hex). */
export function readable(s: Snapshot): Record<string, string> {
  const o: Record<string, string> = {};
  for (const [k, v] of Object.entries(s)) o[k] = v === 'dir' || v.startsWith('link:') ? v : Buffer.from(v, 'hex').toString('utf8');
  return o;
}
