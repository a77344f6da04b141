// What a running tool reports (kept apart from ToolContext, which holds the ProcessManager that
// reports through these).

export type FileChangeKind = 'add' | 'delete' | 'update';

/** Progress a tool reports while it runs (the agent turns these into events and rollout lines). */
export type ToolEvent =
  | { type: 'command_started'; callId: string; command: string[]; cwd: string }
  | {
      type: 'command_finished';
      callId: string;
      command: string[];
      cwd: string;
      output: string;
      exitCode: number | null;
      status: 'completed' | 'failed' | 'declined';
      durationMs: number;
    }
  | { type: 'patch_started'; callId: string; changes: { path: string; kind: FileChangeKind }[] }
  | { type: 'patch_finished'; callId: string; changes: { path: string; kind: FileChangeKind }[]; status: 'completed' | 'failed' | 'declined'; output: string }
  | { type: 'plan_updated'; callId: string; explanation?: string; items: { text: string; completed: boolean; status: string }[] }
  | { type: 'warning'; message: string };
