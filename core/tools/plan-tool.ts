// update_plan: the model's checklist; shown to the user, nothing runs.
import { optString, parseArgsObject, ToolArgError } from './args.js';
import type { ToolCall, ToolContext, ToolOutcome } from './types.js';

const STATUSES = new Set(['pending', 'in_progress', 'completed']);

export function runPlanTool(call: ToolCall, ctx: ToolContext): ToolOutcome {
  const a = parseArgsObject(call.input);
  const plan = a.plan;
  if (!Array.isArray(plan)) throw new ToolArgError("missing required argument 'plan' (an array of {step, status})");
  const items = plan.map((p, i) => {
    const o = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
    if (typeof o.step !== 'string') throw new ToolArgError(`plan[${i}].step must be a string`);
    if (typeof o.status !== 'string' || !STATUSES.has(o.status)) throw new ToolArgError(`plan[${i}].status must be one of pending, in_progress, completed`);
    return { text: o.step, status: o.status, completed: o.status === 'completed' };
  });
  ctx.emit({ type: 'plan_updated', callId: call.callId, explanation: optString(a, 'explanation'), items });
  return { output: 'Plan updated', success: true };
}
