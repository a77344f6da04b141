// Generated session stores for the session-management tests: realistic rollouts (messages, a
// command with its output, a patch, optionally a huge output) and damaged stores with one of each
// problem `codex sessions doctor` looks for.
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const DAY = 86_400_000;

export interface RolloutSpec {
  id?: string;
  /** Creation time (local); default now. */
  created?: Date;
  cwd?: string;
  source?: string;
  provider?: string;
  user?: string;
  command?: string;
  commandOutput?: string;
  patch?: string;
}

export function uuid(): string {
  return crypto.randomUUID();
}

const pad = (n: number) => String(n).padStart(2, '0');
export function stampOf(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
}

/** The lines of a realistic rollout (the shapes Codex 0.169 writes). */
export function rolloutLines(spec: RolloutSpec): string[] {
  const id = spec.id ?? uuid();
  const t0 = (spec.created ?? new Date()).getTime();
  let ord = 0;
  const line = (dt: number, type: string, payload: unknown) =>
    JSON.stringify({ timestamp: new Date(t0 + dt).toISOString(), ordinal: ord++, type, payload });
  const callId = `call_${id.slice(0, 8)}`;
  const out: string[] = [
    line(0, 'session_meta', {
      session_id: id,
      id,
      timestamp: new Date(t0).toISOString(),
      cwd: spec.cwd ?? '/home/dev/project',
      originator: 'codex_exec',
      cli_version: '0.169.0',
      source: spec.source ?? 'exec',
      model_provider: spec.provider ?? 'mock',
      base_instructions: { text: 'You are a coding agent. '.repeat(40) },
      git: {},
    }),
    line(1, 'response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/home/dev/project</cwd>\n</environment_context>' }] }),
    line(2, 'turn_context', { turn_id: 't1', cwd: spec.cwd ?? '/home/dev/project', approval_policy: 'never' }),
    line(3, 'response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: spec.user ?? 'please run the tests' }] }),
    line(4, 'event_msg', { type: 'user_message', message: spec.user ?? 'please run the tests' }),
  ];
  if (spec.command !== undefined) {
    const output = spec.commandOutput ?? 'ok\n';
    out.push(
      line(5, 'response_item', { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: spec.command }), call_id: callId }),
      line(6, 'event_msg', {
        type: 'item_completed',
        item: { type: 'CommandExecution', id: callId, command: ['/bin/bash', '-lc', spec.command], status: 'completed', aggregated_output: output, exit_code: 0 },
      }),
      line(7, 'response_item', { type: 'function_call_output', call_id: callId, output: `Process exited with code 0\nOutput:\n${output}` }),
    );
  }
  if (spec.patch !== undefined) {
    out.push(
      line(8, 'response_item', { type: 'custom_tool_call', name: 'apply_patch', input: spec.patch, call_id: `${callId}p` }),
      line(9, 'response_item', { type: 'custom_tool_call_output', call_id: `${callId}p`, output: 'Success. Updated the following files:\nM hello.txt\n' }),
    );
  }
  out.push(
    line(10, 'response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `Done with ${spec.user ?? 'it'}.` }] }),
    line(11, 'event_msg', { type: 'agent_message', message: `Done with ${spec.user ?? 'it'}.` }),
    line(12, 'token_usage_record', { usage: { input_tokens: 10 } }),
  );
  return out;
}

export function rolloutText(spec: RolloutSpec): string {
  return rolloutLines(spec).join('\n') + '\n';
}

export interface Written {
  id: string;
  path: string;
  stamp: string;
}

/** Write a rollout into the store (active: sessions/YYYY/MM/DD; archived: flat), plain or zst. */
export function writeRollout(
  home: string,
  spec: RolloutSpec & { archived?: boolean; compressed?: boolean; mtime?: Date; content?: string },
): Written {
  const id = spec.id ?? uuid();
  const created = spec.created ?? new Date();
  const stamp = stampOf(created);
  const dir = spec.archived ? path.join(home, 'archived_sessions') : path.join(home, 'sessions', stamp.slice(0, 4), stamp.slice(5, 7), stamp.slice(8, 10));
  fs.mkdirSync(dir, { recursive: true });
  const plain = path.join(dir, `rollout-${stamp}-${id}.jsonl`);
  const text = spec.content ?? rolloutText({ ...spec, id, created });
  let p = plain;
  if (spec.compressed) {
    p = `${plain}.zst`;
    fs.writeFileSync(p, zstd(Buffer.from(text)));
  } else {
    fs.writeFileSync(p, text);
  }
  const m = spec.mtime ?? created;
  fs.utimesSync(p, m, m);
  return { id, path: p, stamp };
}

/** zstd -3 through the CLI (the same tool users have), so tests do not depend on our encoder. */
export function zstd(data: Buffer): Buffer {
  const r = spawnSync('zstd', ['-3', '-q', '-c'], { input: data, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr}`);
  return r.stdout;
}

export function unzstd(data: Buffer): Buffer {
  const r = spawnSync('zstd', ['-d', '-q', '-c'], { input: data, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`zstd -d failed: ${r.stderr}`);
  return r.stdout;
}

export function setMtime(p: string, d: Date): void {
  fs.utimesSync(p, d, d);
}

export function appendIndex(home: string, id: string, name: string, updatedAt = new Date()): void {
  fs.appendFileSync(path.join(home, 'session_index.jsonl'), JSON.stringify({ id, thread_name: name, updated_at: updatedAt.toISOString() }) + '\n');
}

/** A pid that is not running (for stale lock files). */
export function deadPid(): number {
  const r = spawnSync('true');
  return r.pid ?? 999_999;
}

export interface DamagedStore {
  home: string;
  healthy: Written;
  torn: Written;
  tornRecords: number;
  truncated: Written;
  pairIdentical: Written;
  pairPlainPrefix: Written;
  pairZstPrefix: Written;
  pairDiverged: Written;
  corruptZst: Written;
  orphanTemp: string;
  freshTemp: string;
  staleCompressionLock: string;
  staleThreadLock: string;
  nestedArchived: Written;
  rootLevelActive: Written;
  bothTrees: { id: string; active: string; archived: string };
  danglingName: { id: string; name: string };
  namedHealthy: string;
}

/** One store with one instance of every problem doctor knows, plus a healthy named session. */
export function makeDamagedStore(home: string): DamagedStore {
  const old = new Date(Date.now() - 20 * DAY);
  fs.mkdirSync(home, { recursive: true });
  const healthy = writeRollout(home, { user: 'healthy session', created: old });
  appendIndex(home, healthy.id, 'healthy-one');

  // Torn write: the first half of a record, then the next whole record, on one line.
  const tornLines = rolloutLines({ user: 'torn session', created: old, command: 'echo torn' });
  const half = tornLines[3]!.slice(0, 40);
  const damaged = [...tornLines.slice(0, 3), half + tornLines[4]!, ...tornLines.slice(5)];
  const torn = writeRollout(home, { created: old, content: damaged.join('\n') + '\n' });

  // Crash mid-append: the last line is cut.
  const truncLines = rolloutLines({ user: 'truncated session', created: old });
  const truncated = writeRollout(home, { created: old, content: truncLines.join('\n') + '\n' + truncLines[1]!.slice(0, 30) });

  const pair = (text: string, zstText: string, user: string): Written => {
    const w = writeRollout(home, { created: old, archived: true, content: text, user });
    fs.writeFileSync(`${w.path}.zst`, zstd(Buffer.from(zstText)));
    setMtime(`${w.path}.zst`, old);
    setMtime(w.path, old);
    return w;
  };
  const full = (user: string) => rolloutText({ user, created: old });
  const a = full('pair identical');
  const pairIdentical = pair(a, a, 'pair identical');
  const b = full('pair plain prefix');
  const bLines = b.split('\n');
  const pairPlainPrefix = pair(bLines.slice(0, 5).join('\n') + '\n', b, 'pair plain prefix');
  const c = full('pair zst prefix');
  const cLines = c.split('\n');
  const pairZstPrefix = pair(c, cLines.slice(0, 5).join('\n') + '\n', 'pair zst prefix');
  const d1 = full('pair diverged one');
  const d2 = d1.replace('pair diverged one', 'pair diverged two');
  const pairDiverged = pair(d1, d2, 'pair diverged');

  const corruptZst = writeRollout(home, { created: old, archived: true, compressed: true, user: 'corrupt zst' });
  const bytes = fs.readFileSync(corruptZst.path);
  fs.writeFileSync(corruptZst.path, bytes.subarray(0, Math.floor(bytes.length / 2)));
  setMtime(corruptZst.path, old);

  fs.mkdirSync(path.join(home, '.tmp'), { recursive: true });
  // Temps named as the compression worker names them: its host and pid, then the file's name.
  const host = os.hostname().replace(/[^A-Za-z0-9-]/g, '_') || 'localhost';
  const orphanTemp = path.join(home, '.tmp', `rollout-compress.${host}.${deadPid()}.0badf00d.rollout-2026-01-01T00-00-00-${uuid()}.jsonl.zst.tmp`);
  fs.writeFileSync(orphanTemp, 'partial');
  setMtime(orphanTemp, old);
  const freshTemp = path.join(home, '.tmp', `rollout-compress.${host}.${process.pid}.0badf00d.rollout-2026-01-01T00-00-00-${uuid()}.jsonl.zst.tmp`);
  fs.writeFileSync(freshTemp, 'in progress');
  setMtime(freshTemp, old);

  const staleCompressionLock = path.join(home, '.tmp', 'rollout-compression.lock');
  fs.writeFileSync(staleCompressionLock, `pid=${deadPid()} started_at=SystemTime { tv_sec: 1, tv_nsec: 0 }\n`);
  setMtime(staleCompressionLock, old);

  fs.mkdirSync(path.join(home, 'thread-writer-locks'), { recursive: true });
  const staleThreadLock = path.join(home, 'thread-writer-locks', `${healthy.id}.lock`);
  fs.writeFileSync(staleThreadLock, '');

  // An archived rollout left in a dated folder, and an active one outside its day folder.
  const na = writeRollout(home, { created: old, archived: true, user: 'nested archived' });
  const nestedDir = path.join(home, 'archived_sessions', na.stamp.slice(0, 4), na.stamp.slice(5, 7), na.stamp.slice(8, 10));
  fs.mkdirSync(nestedDir, { recursive: true });
  const nestedPath = path.join(nestedDir, path.basename(na.path));
  fs.renameSync(na.path, nestedPath);
  const nestedArchived = { ...na, path: nestedPath };
  const ra = writeRollout(home, { created: old, user: 'root level active' });
  const rootPath = path.join(home, 'sessions', path.basename(ra.path));
  fs.renameSync(ra.path, rootPath);
  const rootLevelActive = { ...ra, path: rootPath };

  // The same thread in both trees (an interrupted copy-based archive), identical content.
  const both = writeRollout(home, { created: old, user: 'in both trees' });
  const bothArchived = path.join(home, 'archived_sessions', path.basename(both.path));
  fs.copyFileSync(both.path, bothArchived);
  setMtime(bothArchived, old);

  const danglingName = { id: uuid(), name: 'ghost-session' };
  appendIndex(home, danglingName.id, danglingName.name, old);

  return {
    home,
    healthy,
    torn,
    tornRecords: tornLines.length - 1,
    truncated,
    pairIdentical,
    pairPlainPrefix,
    pairZstPrefix,
    pairDiverged,
    corruptZst,
    orphanTemp,
    freshTemp,
    staleCompressionLock,
    staleThreadLock,
    nestedArchived,
    rootLevelActive,
    bothTrees: { id: both.id, active: both.path, archived: bothArchived },
    danglingName,
    namedHealthy: 'healthy-one',
  };
}
