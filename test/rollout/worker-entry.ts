// Runs inside a worker_thread (bundled by concurrency.test.ts): appends through the recorder or
// holds a thread lock, as asked.
import { parentPort, workerData } from 'node:worker_threads';
import { RolloutRecorder, tryThreadWriterLock } from '../../rollout/index.js';

interface Job {
  mode: 'append' | 'hold';
  home: string;
  id: string;
  tag?: string;
  lines?: number;
  size?: number;
  batch?: number;
}

const job = workerData as Job;

async function main(): Promise<void> {
  if (job.mode === 'hold') {
    const lock = tryThreadWriterLock(job.home, job.id);
    parentPort!.postMessage(lock ? 'held' : 'busy');
    parentPort!.once('message', () => {
      lock?.release();
      parentPort!.postMessage('released');
    });
    return;
  }
  const pad = 'x'.repeat(job.size!);
  let i = 0;
  while (i < job.lines!) {
    const rec = await RolloutRecorder.resume(job.home, job.id, { lock: { timeoutMs: 60_000, writerTimeoutMs: 60_000 } });
    try {
      for (let k = 0; k < job.batch! && i < job.lines!; k++, i++) rec.append('event_msg', { type: 'agent_message', message: `${job.tag}${i}:${pad}` });
      rec.flush();
    } finally {
      rec.close();
    }
  }
  parentPort!.postMessage('done');
}

void main().catch((e: unknown) => parentPort!.postMessage(`error: ${(e as Error).message}`));
