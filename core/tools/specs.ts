// The tool definitions offered to the model (Responses API `tools`).

export function toolSpecs(): unknown[] {
  return [
    {
      type: 'function',
      name: 'exec_command',
      description: 'Start a shell command (in the sandbox unless escalated). Returns its output once it ends, or after yield_time_ms with a session ID while it keeps running.',
      strict: false,
      parameters: {
        type: 'object',
        properties: {
          cmd: { type: 'string', description: 'The shell command line.' },
          justification: { type: 'string', description: 'With `require_escalated` only: the question put to the user.' },
          login: { type: 'boolean', description: 'Login shell (-l) semantics; default true.' },
          max_output_tokens: { type: 'number', description: 'Most tokens of output to return (default 10000; policy may cap it lower). Longer output keeps its head and tail.' },
          prefix_rule: { type: 'array', description: 'With `require_escalated` only: the command prefix an approval would cover, e.g. ["npm", "test"].', items: { type: 'string' } },
          sandbox_permissions: { type: 'string', description: '`use_default` (the default) or `require_escalated` to ask for a run outside the sandbox.', enum: ['use_default', 'require_escalated'] },
          shell: { type: 'string', description: 'Shell to run the command with; default /bin/bash.' },
          tty: { type: 'boolean', description: 'Give the command a pseudo-terminal (needed to type into it later with write_stdin); default false, plain pipes.' },
          workdir: { type: 'string', description: 'Directory to run in; default the session cwd.' },
          yield_time_ms: { type: 'number', description: 'How long to wait for the command before returning (default 10000, 250 to 30000); a command still running then keeps running.' },
        },
        required: ['cmd'],
        additionalProperties: false,
      },
    },
    {
      type: 'function',
      name: 'write_stdin',
      description: 'Type characters into a running exec_command session (started with tty: true), or poll it with empty chars; returns the output since the last call.',
      strict: false,
      parameters: {
        type: 'object',
        properties: {
          chars: { type: 'string', description: 'What to type (e.g. "y\\n" or "\\u0003"); empty just waits for more output.' },
          max_output_tokens: { type: 'number', description: 'Most tokens of output to return (default 10000; policy may cap it lower).' },
          session_id: { type: 'number', description: 'The session ID exec_command returned.' },
          yield_time_ms: { type: 'number', description: 'How long to wait for output: after typing default 250 (up to 30000); an empty poll waits 5000 to 300000.' },
        },
        required: ['session_id'],
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
