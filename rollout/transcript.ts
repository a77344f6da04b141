// A readable transcript of one rollout: the conversational messages in order.
import { messageTextOf, type MessageRole } from './format.js';
import { readRecords, type DecodeOptions } from './reader.js';
import type { WarningSink } from './warnings.js';

export interface TranscriptMessage {
  timestamp: string | undefined;
  role: MessageRole;
  text: string;
}

/**
 * The user and assistant messages of a rollout (either form), in order, streamed to `onMessage`;
 * response items win over the duplicate events older files also hold. False when the file could
 * not be fully read (the warnings said why).
 *
 * @example
 *   await readTranscript(file, (m) => console.log(`${m.role}: ${m.text}`), (w) => console.error(formatWarning(w)));
 */
export async function readTranscript(file: string, onMessage: (m: TranscriptMessage) => void, onWarning?: WarningSink, decode: DecodeOptions = {}): Promise<boolean> {
  // 0.169 writes each message both as a response_item and (older ones) as an event: prefer
  // response items, and use events only for files that have no message response items.
  const events: TranscriptMessage[] = [];
  let sawItems = false;
  const ok = await readRecords(file, {
    ...decode,
    onWarning,
    onRecord: (r) => {
      const m = messageTextOf(r);
      if (!m || m.injected) return;
      const msg = { timestamp: r.timestamp, role: m.role, text: m.text };
      if (r.kind === 'response_item') {
        sawItems = true;
        onMessage(msg);
      } else events.push(msg);
    },
  });
  if (!sawItems) for (const m of events) onMessage(m);
  return ok;
}
