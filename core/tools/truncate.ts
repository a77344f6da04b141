// What the model sees of a command's output: at most 10 KiB and 256 lines, keeping head and tail.

export const MODEL_MAX_BYTES = 10 * 1024;
export const MODEL_MAX_LINES = 256;

/** Pure. Returns the text unchanged when it fits, else head + a marker naming what was cut + tail. */
export function truncateForModel(text: string, maxBytes = MODEL_MAX_BYTES, maxLines = MODEL_MAX_LINES): string {
  const lines = text.split('\n');
  if (Buffer.byteLength(text) <= maxBytes && lines.length <= maxLines) return text;
  const headLines = Math.floor(maxLines / 2);
  const tailLines = maxLines - headLines;
  const head = lines.slice(0, headLines);
  const tail = lines.length > headLines ? lines.slice(Math.max(headLines, lines.length - tailLines)) : [];
  const halfBytes = Math.floor(maxBytes / 2);
  const headText = clipBytes(head.join('\n'), halfBytes, 'head');
  const tailText = clipBytes(tail.join('\n'), halfBytes, 'tail');
  const omittedLines = lines.length - head.length - tail.length;
  const omittedBytes = Buffer.byteLength(text) - Buffer.byteLength(headText) - Buffer.byteLength(tailText);
  return `${headText}\n[... omitted ${omittedLines} of ${lines.length} lines, ${omittedBytes} bytes ...]\n${tailText}`;
}

function clipBytes(s: string, max: number, keep: 'head' | 'tail'): string {
  const b = Buffer.from(s);
  if (b.length <= max) return s;
  const part = keep === 'head' ? b.subarray(0, max) : b.subarray(b.length - max);
  // Drop a split UTF-8 sequence at the cut.
  return part.toString('utf8').replace(keep === 'head' ? /\uFFFD$/ : /^\uFFFD/, '');
}
