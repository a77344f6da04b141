// One entry point for every tool call: errors become tool output, never a crash of the loop.
import { ToolArgError } from './args.js';
import { parseExecCommandArgs, parseShellArgs, runExecTool } from './exec-tool.js';
import { runPatchTool } from './patch-tool.js';
import { runPlanTool } from './plan-tool.js';
import type { ToolCall, ToolContext, ToolOutcome } from './types.js';

export const KNOWN_TOOLS = ['exec_command', 'shell', 'apply_patch', 'update_plan'] as const;

export async function runTool(call: ToolCall, ctx: ToolContext): Promise<ToolOutcome> {
  try {
    switch (call.name) {
      case 'exec_command':
        return await runExecTool(call, parseExecCommandArgs(call.input), ctx);
      case 'shell':
      case 'container.exec': {
        const req = parseShellArgs(call.input);
        // The model sometimes calls apply_patch through the shell tool: route it to the real tool.
        if ((req.command[0] === 'apply_patch' || req.command[0] === 'applypatch') && req.command.length === 2) {
          return await runPatchTool({ ...call, custom: true, input: req.command[1]! }, ctx);
        }
        return await runExecTool(call, req, ctx);
      }
      case 'apply_patch':
        return await runPatchTool(call, ctx);
      case 'update_plan':
        return runPlanTool(call, ctx);
      default:
        ctx.emit({ type: 'warning', message: `the model called an unknown tool \`${call.name}\`; told it so` });
        return { output: `unsupported call: ${call.name}`, success: false };
    }
  } catch (e) {
    // Same wording as 0.169 for unparsable arguments; other argument errors name the tool.
    if (e instanceof ToolArgError) return { output: e.message.startsWith('failed to parse') ? e.message : `${call.name}: ${e.message}`, success: false };
    return { output: `${call.name} failed: ${(e as Error).message}`, success: false };
  }
}
