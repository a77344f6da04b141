// The content facts doctor's planner needs about a snapshot's copies: for each form, whether it
// decodes, its damage, a digest; for a plain + .zst pair, how the two relate. The only part of
// doctor that reads rollouts; the planner then works on these facts alone.
import { createHash } from 'node:crypto';
import { ReadWarning, readContent } from '../reader.js';
import type { WarningCode } from '../warnings.js';
import { mapLimit } from './map-limit.js';
import { analyzeContent, relate, type ContentDamage, type PairRelation, type Copy, type StoreSnapshot } from '../store/index.js';

export type FormFacts =
  | { ok: true; path: string; /** decoded length */ bytes: number; digest: string; damage: ContentDamage }
  | { ok: false; path: string; code: WarningCode | 'IO_ERROR'; message: string };

export interface CopyFacts {
  plain?: FormFacts;
  zst?: FormFacts;
  /** Both forms decode: how their contents relate. */
  relation?: PairRelation;
}

/** Facts per copy key (the copy's plain path). */
export type StoreFacts = Map<string, CopyFacts>;

async function formFacts(path: string): Promise<{ facts: FormFacts; content?: Buffer }> {
  let content: Buffer;
  try {
    content = await readContent(path);
  } catch (e) {
    if (e instanceof ReadWarning) return { facts: { ok: false, path, code: e.warning.code, message: e.warning.message } };
    return { facts: { ok: false, path, code: 'IO_ERROR', message: (e as Error).message } };
  }
  const digest = createHash('sha1').update(content).digest('hex');
  return { facts: { ok: true, path, bytes: content.length, digest, damage: analyzeContent(content).damage }, content };
}

export async function inspectCopy(c: Copy): Promise<CopyFacts> {
  const out: CopyFacts = {};
  const p = c.plain ? await formFacts(c.plain.path) : undefined;
  const z = c.zst ? await formFacts(c.zst.path) : undefined;
  if (p) out.plain = p.facts;
  if (z) out.zst = z.facts;
  if (p?.content && z?.content) out.relation = relate(p.content, z.content);
  return out;
}

/** Inspect every copy of the snapshot, several threads at once. */
export async function inspectStore(s: StoreSnapshot, concurrency = 8): Promise<StoreFacts> {
  const copies = s.threads.flatMap((t) => t.copies);
  const facts = await mapLimit(copies, concurrency, inspectCopy);
  return new Map(copies.map((c, i) => [c.key, facts[i]!]));
}
