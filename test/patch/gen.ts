// Random apply_patch cases for the differential test: small file trees with mixed line endings,
// Unicode, missing final newlines and empty files, and patches that add, delete, update (several
// chunks, @@ headers, End of File, pure additions, whitespace and punctuation drift) and move.
import fc from 'fast-check';

export interface Case {
  files: { path: string; content: string }[];
  patch: string;
  /** Feed the patch to ours on stdin instead of as the argument. */
  viaStdin: boolean;
}

const VOCAB = [
  'alpha',
  'beta',
  'gamma',
  'fn main() {',
  '}',
  '    return 1;',
  '\tindented with tab',
  'trailing spaces   ',
  '  both sides  ',
  '',
  '',
  'héllo wörld',
  'ünïcödé ✅ done',
  '日本語のテキスト',
  'emoji 🎉 party',
  'range 1–10 (en dash)',
  'em — dash',
  'minus − sign',
  'curly “quotes” here',
  "it’s curly",
  'non\u00a0breaking space',
  'thin\u2009space',
  'alpha',
  'x = 1',
  'x = 2',
  '@@ not a header',
  '*** not a marker',
  '+plus at start',
  '-minus at start',
];

/** ASCII forms a model might type instead of the file's typographic characters. */
function asciiFold(s: string): string {
  return s
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u00a0\u2009]/g, ' ');
}

type Eol = 'lf' | 'crlf' | 'cr' | 'mixed';
const EOLS: Record<Exclude<Eol, 'mixed'>, string> = { lf: '\n', crlf: '\r\n', cr: '\r' };

const fileArb = fc.record({
  lines: fc.array(fc.constantFrom(...VOCAB), { minLength: 0, maxLength: 14 }),
  eol: fc.constantFrom<Eol>('lf', 'lf', 'crlf', 'cr', 'mixed'),
  mixed: fc.array(fc.constantFrom<Exclude<Eol, 'mixed'>>('lf', 'crlf', 'cr'), { minLength: 14, maxLength: 14 }),
  finalNewline: fc.boolean(),
});

const chunkArb = fc.record({
  skip: fc.nat({ max: 6 }),
  len: fc.integer({ min: 1, max: 4 }),
  kinds: fc.array(fc.constantFrom('ctx', 'ctx', 'rm', 'rep'), { minLength: 4, maxLength: 4 }),
  adds: fc.array(fc.constantFrom(...VOCAB, 'NEW LINE', 'added ✨'), { minLength: 0, maxLength: 3 }),
  header: fc.constantFrom(false, false, true),
  eof: fc.constantFrom('auto', 'auto', 'never', 'force'),
  drift: fc.constantFrom('none', 'none', 'none', 'none', 'trail', 'lead', 'ascii', 'wrong'),
  pureAdd: fc.constantFrom(false, false, false, false, true),
  blankAsBare: fc.boolean(),
});

const opArb = fc.record({
  kind: fc.constantFrom('add', 'delete', 'update', 'update', 'update'),
  target: fc.nat({ max: 10 }),
  missing: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
  move: fc.constantFrom(false, false, false, true),
  moveTo: fc.nat({ max: 5 }),
  addLines: fc.array(fc.constantFrom(...VOCAB), { minLength: 0, maxLength: 4 }),
  chunks: fc.array(chunkArb, { minLength: 1, maxLength: 3 }),
});

const PATHS = ['a.txt', 'src/b.rs', 'docs/deep/c.md'];
const NEW_PATHS = ['new.txt', 'fresh/dir/n.txt', 'a.txt', 'docs/added.md'];
const MOVE_PATHS = ['moved/m.txt', 'docs/moved.md', 'a.txt', 'src/b.rs', 'renamed.txt', 'x/y/z.txt'];

export const caseArb: fc.Arbitrary<Case> = fc
  .record({
    files: fc.array(fileArb, { minLength: 1, maxLength: 3 }),
    ops: fc.array(opArb, { minLength: 1, maxLength: 3 }),
    crlfPatch: fc.constantFrom(false, false, false, false, true),
    viaStdin: fc.constantFrom(false, false, false, true),
    style: fc.record({
      padMarkers: fc.constantFrom(false, false, false, true),
      envId: fc.constantFrom(false, false, false, false, true),
      heredoc: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
      padAt: fc.constantFrom(false, false, false, true),
      padEof: fc.constantFrom(false, false, false, true),
    }),
  })
  .map(({ files, ops, crlfPatch, viaStdin, style }) => build(files, ops, crlfPatch, viaStdin, style));

type Style = { padMarkers: boolean; envId: boolean; heredoc: boolean; padAt: boolean; padEof: boolean };

type FileSpec = { lines: string[]; eol: Eol; mixed: Exclude<Eol, 'mixed'>[]; finalNewline: boolean };
type ChunkSpec = {
  skip: number;
  len: number;
  kinds: string[];
  adds: string[];
  header: boolean;
  eof: string;
  drift: string;
  pureAdd: boolean;
  blankAsBare: boolean;
};
type OpSpec = { kind: string; target: number; missing: boolean; move: boolean; moveTo: number; addLines: string[]; chunks: ChunkSpec[] };

function render(f: FileSpec): string {
  let s = '';
  f.lines.forEach((l, i) => {
    const last = i === f.lines.length - 1;
    const eol = EOLS[f.eol === 'mixed' ? pick(f.mixed, i) : f.eol];
    s += l + (last && !f.finalNewline ? '' : eol);
  });
  return s;
}

function drift(s: string, how: string): string {
  switch (how) {
    case 'trail':
      return s + '  ';
    case 'lead':
      return s.startsWith(' ') || s.startsWith('\t') ? s.trimStart() : '  ' + s;
    case 'ascii':
      return asciiFold(s);
    default:
      return s;
  }
}

/** xs[i mod length]: the generators index fixed tables with arbitrary numbers. */
function pick<T>(xs: readonly T[], i: number): T {
  const x = xs[i % xs.length];
  if (x === undefined) throw new Error(`pick(${i}) from an empty table`);
  return x;
}

function build(files: FileSpec[], ops: OpSpec[], crlfPatch: boolean, viaStdin: boolean, style: Style): Case {
  const tree = files.slice(0, PATHS.length).map((f, i) => ({ path: pick(PATHS, i), spec: f, content: render(f) }));
  const pad = (m: string) => (style.padMarkers ? `  ${m} ` : m);
  const at = style.padAt ? '@@  ' : '@@';
  const out: string[] = [style.padMarkers ? ' *** Begin Patch ' : '*** Begin Patch'];
  if (style.envId) out.push('*** Environment ID: env-1');
  for (const op of ops) {
    const existing = pick(tree, op.target);
    switch (op.kind) {
      case 'add': {
        out.push(pad(`*** Add File: ${pick(NEW_PATHS, op.target)}`));
        for (const l of op.addLines) out.push('+' + l);
        break;
      }
      case 'delete':
        out.push(pad(`*** Delete File: ${op.missing ? 'nope.txt' : existing.path}`));
        break;
      default: {
        out.push(pad(`*** Update File: ${op.missing ? 'missing.txt' : existing.path}`));
        if (op.move) {
          let dest = pick(MOVE_PATHS, op.moveTo);
          if (dest === existing.path) dest = 'moved/other.txt'; // a move onto itself is a deliberate difference
          out.push(`*** Move to: ${dest}`);
        }
        const lines = existing.spec.lines;
        let cursor = 0;
        op.chunks.forEach((c, ci) => {
          const start = cursor + (lines.length - cursor > 0 ? c.skip % (lines.length - cursor + 1) : 0);
          const end = Math.min(lines.length, start + c.len);
          const body: string[] = [];
          if (c.pureAdd || start >= end) {
            if (ci > 0 || c.header) body.push(at);
            for (const a of c.adds.length ? c.adds : ['appended']) body.push('+' + a);
            out.push(...body);
            return;
          }
          if (c.header && start > 0) body.push(`@@ ${lines[start - 1]}`);
          else if (ci > 0 || c.header) body.push(at);
          for (const [i, line] of lines.slice(start, end).entries()) {
            const kind = pick(c.kinds, i);
            let text = line;
            if (c.drift === 'wrong' && i === 0) text = 'THIS LINE IS NOT IN THE FILE';
            else if (kind === 'ctx' || kind === 'rm' || kind === 'rep') text = drift(text, c.drift);
            if (kind === 'ctx') body.push(text === '' && c.blankAsBare ? '' : ' ' + text);
            else body.push('-' + text);
            if (kind === 'rep') body.push('+' + (c.adds[0] ?? 'replaced'));
          }
          for (const a of c.adds.slice(1)) body.push('+' + a);
          const atEnd = end === lines.length;
          if ((c.eof === 'auto' && atEnd) || c.eof === 'force') body.push(style.padEof ? '*** End of File  ' : '*** End of File');
          out.push(...body);
          cursor = end;
        });
      }
    }
  }
  out.push(style.padMarkers ? ' *** End Patch ' : '*** End Patch');
  if (style.heredoc) {
    out.unshift("<<'EOF'");
    out.push('EOF');
  }
  const patch = out.join(crlfPatch ? '\r\n' : '\n') + '\n';
  return { files: tree.map(({ path, content }) => ({ path, content })), patch, viaStdin };
}
