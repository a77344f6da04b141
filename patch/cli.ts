// The apply_patch program: `apply_patch [--dry-run] [PATCH]` (patch text on stdin when absent).
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { CodexError, EXIT, flagBool, parseArgs, writeOut, type CommandHelp, type FlagSpec } from '../protocol/index.js';
import { commitPlan } from './commit.js';
import { parsePatch } from './parser.js';
import { planPatch } from './plan.js';
import { formatSummary } from './summary.js';
import { touchedPaths } from './paths.js';

const USAGE = 'usage: apply_patch [--dry-run] [PATCH]  (the patch text is read from stdin when PATCH is absent)';

const FLAGS: FlagSpec[] = [
  { name: 'dry-run', kind: 'bool', description: 'check the patch and print the diff it would make; change nothing' },
  { name: 'help', short: 'h', kind: 'bool', description: 'show this help' },
];

const HELP: CommandHelp = {
  usage: 'apply_patch [--dry-run] [PATCH]',
  summary: 'Apply a patch in the apply_patch format (*** Begin Patch … *** End Patch) to the files under the current folder, all or nothing.',
  args: [{ name: 'PATCH', description: 'the whole patch text as one argument; read from stdin when absent' }],
  example: "apply_patch $'*** Begin Patch\\n*** Add File: hello.txt\\n+hi\\n*** End Patch'",
  notes: ['Also: codex --codex-run-as-apply-patch PATCH. Format: the apply_patch section of README.md.'],
};

/** A patch text is never a flag, even one starting with '-' (a unified diff): it goes after `--`. */
function flagsFirst(args: readonly string[]): string[] {
  const isFlag = (a: string) => /^--?[A-Za-z][\w-]*(=\S*)?$/.test(a);
  const dd = args.indexOf('--');
  const head = dd === -1 ? args : args.slice(0, dd);
  const tail = dd === -1 ? [] : args.slice(dd + 1);
  return [...head.filter(isFlag), '--', ...head.filter((a) => !isFlag(a)), ...tail];
}

export async function runApplyPatchCli(args: string[]): Promise<number> {
  const p = parseArgs(flagsFirst(args), FLAGS, { help: HELP });
  const dryRun = flagBool(p, 'dry-run');
  const rest = p.rest ?? [];
  if (rest.length > 1) throw new CodexError('USAGE', `expected one patch argument, got ${rest.length}; ${USAGE}`);
  const text = rest[0] ?? (await readStdin());
  const parsed = parsePatch(text);
  const cwd = process.cwd();
  const plan = planPatch(parsed, cwd);
  if (dryRun) {
    const { renderDryRun } = await import('./dryrun.js');
    writeOut('stdout', await renderDryRun(plan));
    return EXIT.OK;
  }
  commitPlan(plan);
  writeOut('stdout', formatSummary(plan.summary));
  const outside = touchedPaths(parsed, cwd).filter((p) => p.outsideCwd);
  for (const p of outside) writeOut('stderr', `apply_patch: note: ${p.display} is outside the working directory (${p.path})\n`);
  return EXIT.OK;
}

/** node:tty loaded only on this path (it pulls in node's net and stream modules). */
function isatty(fd: number): boolean {
  return process.getBuiltinModule('node:tty').isatty(fd);
}

async function readStdin(): Promise<string> {
  if (isatty(0)) throw new CodexError('USAGE', `no patch given; ${USAGE}`);
  const chunks: Buffer[] = [];
  try {
    // Synchronous reads first (a file or a blocking pipe): no stream machinery to start up.
    if (!readStdinSync(chunks)) {
      // A non-blocking pipe makes the sync read fail with EAGAIN: the stream reads the rest.
      for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    }
  } catch (err) {
    throw new CodexError('IO_ERROR', `cannot read the patch from stdin: ${(err as Error).message}`);
  }
  const buf = Buffer.concat(chunks);
  if (!isUtf8(buf)) throw new CodexError('PATCH_NOT_UTF8', 'the patch on stdin is not valid UTF-8');
  return buf.toString('utf8');
}

/** Reads fd 0 to its end into `chunks`; false when it would block (the caller goes on with a stream). */
function readStdinSync(chunks: Buffer[]): boolean {
  const b = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, b, 0, b.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return false;
      throw err;
    }
    if (n === 0) return true;
    chunks.push(Buffer.from(b.subarray(0, n)));
  }
}
