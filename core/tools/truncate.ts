// What the model sees of a command's output: at most 10 KiB and 256 lines, keeping head and tail.

const MODEL_MAX_BYTES = 10 * 1024;
const MODEL_MAX_LINES = 256;

/** Pure. Returns the text unchanged when it fits, else head + a marker naming what was cut + tail. */
export function truncateForModel(text: string, maxBytes = MODEL_MAX_BYTES, maxLines = MODEL_MAX_LINES): string {
  const lines = text.split('\n');
  const total = Buffer.byteLength(text);
  if (total <= maxBytes && lines.length <= maxLines) return text;
  let headText = text;
  let tailText = '';
  if (lines.length > maxLines) {
    const headLines = Math.floor(maxLines / 2);
    headText = lines.slice(0, headLines).join('\n');
    tailText = lines.slice(lines.length - (maxLines - headLines)).join('\n');
  } else {
    tailText = text;
  }
  const half = Math.floor(maxBytes / 2);
  headText = clipBytes(headText, half, 'head');
  tailText = clipBytes(tailText, half, 'tail');
  const keptLines = headText.split('\n').length + tailText.split('\n').length;
  const omittedBytes = total - Buffer.byteLength(headText) - Buffer.byteLength(tailText);
  return `${headText}\n[... omitted ${Math.max(0, lines.length - keptLines)} of ${lines.length} lines, ${omittedBytes} bytes ...]\n${tailText}`;
}

function clipBytes(s: string, max: number, keep: 'head' | 'tail'): string {
  const b = Buffer.from(s);
  if (b.length <= max) return s;
  const part = keep === 'head' ? b.subarray(0, max) : b.subarray(b.length - max);
  // Drop a UTF-8 sequence split by the cut.
  return part.toString('utf8').replace(keep === 'head' ? /\uFFFD+$/ : /^\uFFFD+/, '');
}
