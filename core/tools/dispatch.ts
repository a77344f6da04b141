// One entry point for every tool call: errors become tool output, never a crash of the loop.
import { ToolArgError } from './args.js';
import { parseShellArgs, runExecTool } from './exec-tool.js';
import { runPatchTool } from './patch-tool.js';
import { runPlanTool } from './plan-tool.js';
import { patchFromArgv } from './shell-patch.js';
import type { ToolCall, ToolContext, ToolOutcome } from './types.js';
import { parseExecCommandArgs, parseWriteStdinArgs, runExecCommand, runWriteStdin } from './unified-exec.js';
import * as path from 'node:path';

export async function runTool(call: ToolCall, ctx: ToolContext): Promise<ToolOutcome> {
  try {
    switch (call.name) {
      case 'exec_command':
        return await runExecCommand(call, parseExecCommandArgs(call.input), ctx);
      case 'write_stdin':
        return await runWriteStdin(call, parseWriteStdinArgs(call.input), ctx);
      case 'shell':
      case 'container.exec': {
        const req = parseShellArgs(call.input);
        // apply_patch through the shell (argv or a bash -lc heredoc) is the patch tool.
        const patch = patchFromArgv(req.command);
        if (patch) {
          const cwd = path.resolve(ctx.cwd, req.workdir ?? '.', patch.cd ?? '.');
          return await runPatchTool({ ...call, custom: true, input: patch.patch }, { ...ctx, cwd });
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
