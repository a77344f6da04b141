// The session_meta of a rollout (first record), read with an early stop: never the whole file.
import { sessionMetaOf, type SessionMeta } from '../format.js';
import { readRecords } from '../reader.js';
import type { StoreWarning } from '../warnings.js';

export async function readSessionMeta(file: string, onWarning?: (w: StoreWarning) => void): Promise<SessionMeta | undefined> {
  let meta: SessionMeta | undefined;
  let seen = 0;
  await readRecords(file, {
    onWarning,
    onRecord: (r) => {
      meta = sessionMetaOf(r);
      // session_meta is the first record; allow a couple of leading records from odd writers.
      return meta === undefined && ++seen < 4;
    },
  });
  return meta;
}
