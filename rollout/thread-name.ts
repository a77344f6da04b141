// Naming a thread: an event in its rollout (materialized first if compressed) and an entry in
// session_index.jsonl, both under the thread writer lock.
import { CodexError } from '../protocol/index.js';
import type { WaitOptions } from './locks.js';
import { resolveSession } from './lookup.js';
import { appendNameEntry, idsWithName, readNameIndex } from './names.js';
import { RolloutRecorder } from './recorder.js';

export async function setThreadName(
  home: string,
  idOrName: string,
  name: string,
  opts: { allowDuplicate?: boolean; lock?: WaitOptions } = {},
): Promise<{ id: string }> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.includes('\n')) throw new CodexError('USAGE', 'a thread name must be one non-empty line');
  const { entry } = resolveSession(home, idOrName);
  const others = idsWithName(readNameIndex(home), trimmed).filter((id) => id !== entry.id);
  if (others.length && !opts.allowDuplicate) {
    throw new CodexError('ROLLOUT_NAME_COLLISION', `name '${trimmed}' is already used by ${others.join(', ')}`);
  }
  // A short hold (one event appended): a writer arriving meanwhile waits for it.
  const rec = await RolloutRecorder.resume(home, entry.id, { lock: { role: 'maintenance', ...opts.lock } });
  try {
    rec.append('event_msg', { type: 'thread_name_updated', thread_id: entry.id, thread_name: trimmed });
    appendNameEntry(home, entry.id, trimmed);
  } finally {
    rec.close();
  }
  return { id: entry.id };
}
