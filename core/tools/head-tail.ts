// A byte sink that keeps only the head and the tail of a stream within a budget: a command's output
// is never held in memory past it, however much the command prints.

/** Rough token count of a byte length (about four bytes per token, as the models' tokenizers average). */
export function approxTokens(bytes: number): number {
  return Math.ceil(bytes / 4);
}

export class HeadTail {
  private head: Buffer[] = [];
  private headLen = 0;
  private tail: Buffer[] = [];
  private tailLen = 0;
  /** Every byte pushed since the last reset. */
  total = 0;
  private readonly headMax: number;
  private readonly tailMax: number;

  constructor(readonly budget: number) {
    this.headMax = Math.floor(budget / 2);
    this.tailMax = budget - this.headMax;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let c = chunk;
    if (this.headLen < this.headMax) {
      const take = Math.min(c.length, this.headMax - this.headLen);
      this.head.push(c.subarray(0, take));
      this.headLen += take;
      c = c.subarray(take);
      if (c.length === 0) return;
    }
    // Copy what the tail keeps, so a large chunk's buffer is not pinned by a small view of it.
    if (c.length >= this.tailMax) {
      this.tail = [Buffer.from(c.subarray(c.length - this.tailMax))];
      this.tailLen = this.tailMax;
      return;
    }
    this.tail.push(Buffer.from(c));
    this.tailLen += c.length;
    while (this.tailLen > this.tailMax) {
      const first = this.tail[0]!;
      const extra = this.tailLen - this.tailMax;
      if (first.length <= extra) {
        this.tail.shift();
        this.tailLen -= first.length;
      } else {
        this.tail[0] = first.subarray(extra);
        this.tailLen -= extra;
      }
    }
  }

  /** Bytes pushed but not kept. */
  get omitted(): number {
    return this.total - this.headLen - this.tailLen;
  }

  /** The kept text: everything when it fit, else head, a marker saying how much was cut, tail. */
  text(): string {
    const head = Buffer.concat(this.head);
    const tail = Buffer.concat(this.tail);
    if (this.omitted === 0) return Buffer.concat([head, tail]).toString('utf8');
    const h = head.toString('utf8').replace(/\uFFFD+$/, '');
    const t = tail.toString('utf8').replace(/^\uFFFD+/, '');
    return `${h}\n[… ${this.omitted} bytes (about ${approxTokens(this.omitted)} tokens) cut from the middle of ${this.total} …]\n${t}`;
  }

  /** The same stream within a smaller budget (what a later call asks for). */
  withBudget(budget: number): HeadTail {
    if (budget >= this.budget) return this;
    const n = new HeadTail(budget);
    n.push(Buffer.concat(this.head));
    // The bytes cut before lie between the old head and tail: count them, then the tail goes on.
    n.total += this.omitted;
    n.push(Buffer.concat(this.tail));
    return n;
  }

  reset(): void {
    this.head = [];
    this.tail = [];
    this.headLen = 0;
    this.tailLen = 0;
    this.total = 0;
  }
}
