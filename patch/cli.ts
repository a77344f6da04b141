// The apply_patch program: `apply_patch [--dry-run] [PATCH]` (patch text on stdin when absent).
import { isUtf8 } from 'node:buffer';
import { CodexError, EXIT } from '../protocol/index.js';
import { commitPlan } from './commit.js';
import { parsePatch } from './parser.js';
import { planPatch } from './plan.js';
import { formatSummary } from './summary.js';
import { touchedPaths } from './paths.js';

const USAGE = 'usage: apply_patch [--dry-run] [PATCH]  (the patch text is read from stdin when PATCH is absent)';

export async function runApplyPatchCli(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(`${USAGE}\nFormat and examples: the apply_patch section of README.md.\n`);
    return EXIT.OK;
  }
  let rest = args;
  let dryRun = false;
  if (rest[0] === '--dry-run') {
    dryRun = true;
    rest = rest.slice(1);
  }
  if (rest.length > 1) throw new CodexError('USAGE', `expected one patch argument, got ${rest.length}; ${USAGE}`);
  const text = rest.length === 1 ? rest[0] : await readStdin();
  const parsed = parsePatch(text);
  const cwd = process.cwd();
  const plan = planPatch(parsed, cwd);
  if (dryRun) {
    const { renderDryRun } = await import('./dryrun.js');
    process.stdout.write(await renderDryRun(plan));
    return EXIT.OK;
  }
  commitPlan(plan);
  process.stdout.write(formatSummary(plan.summary));
  const outside = touchedPaths(parsed, cwd).filter((p) => p.outsideCwd);
  for (const p of outside) process.stderr.write(`apply_patch: note: ${p.display} is outside the working directory (${p.path})\n`);
  return EXIT.OK;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CodexError('USAGE', `no patch given; ${USAGE}`);
  // A stream, not readFileSync(0): a non-blocking pipe makes the sync read fail with EAGAIN.
  const chunks: Buffer[] = [];
  try {
    for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  } catch (err) {
    throw new CodexError('IO_ERROR', `cannot read the patch from stdin: ${(err as Error).message}`);
  }
  const buf = Buffer.concat(chunks);
  if (!isUtf8(buf)) throw new CodexError('PATCH_NOT_UTF8', 'the patch on stdin is not valid UTF-8');
  return buf.toString('utf8');
}
