// The tool definitions offered to the model (Responses API `tools`).

export function toolSpecs(): unknown[] {
  return [
    {
      type: 'function',
      name: 'exec_command',
      description: 'Runs a shell command (`/bin/bash -lc CMD`) in the sandbox and returns its exit code and output.',
      strict: false,
      parameters: {
        type: 'object',
        properties: {
          cmd: { type: 'string', description: 'Shell command to execute.' },
          workdir: { type: 'string', description: 'Working directory for the command. Defaults to the turn cwd.' },
          timeout_ms: { type: 'number', description: 'Kill the command after this many milliseconds (default 10000).' },
          shell: { type: 'string', description: 'Shell binary to launch. Defaults to /bin/bash.' },
          login: { type: 'boolean', description: 'Run the shell with -l semantics (default true).' },
          sandbox_permissions: {
            type: 'string',
            enum: ['use_default', 'require_escalated'],
            description: 'Use `require_escalated` to ask the user to run this command outside the sandbox.',
          },
          justification: { type: 'string', description: 'Why escalation is needed (shown in the approval question).' },
        },
        required: ['cmd'],
        additionalProperties: false,
      },
    },
    {
      type: 'function',
      name: 'apply_patch',
      description:
        'Edit files with a patch: `*** Begin Patch`, then `*** Add File: PATH` (lines prefixed +), `*** Delete File: PATH` or `*** Update File: PATH` (optional `*** Move to: PATH`, then @@ hunks with context, - and + lines), then `*** End Patch`. Paths are relative to the cwd.',
      strict: false,
      parameters: {
        type: 'object',
        properties: { input: { type: 'string', description: 'The whole patch text.' } },
        required: ['input'],
        additionalProperties: false,
      },
    },
    {
      type: 'function',
      name: 'update_plan',
      description: 'Record or update the task plan: a list of steps, each pending, in_progress or completed.',
      strict: false,
      parameters: {
        type: 'object',
        properties: {
          explanation: { type: 'string' },
          plan: {
            type: 'array',
            items: {
              type: 'object',
              properties: { step: { type: 'string' }, status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] } },
              required: ['step', 'status'],
              additionalProperties: false,
            },
          },
        },
        required: ['plan'],
        additionalProperties: false,
      },
    },
  ];
}
