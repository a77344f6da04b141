import { describe, expect, it } from 'vitest';
import { shellEnvironment } from './shell-env.js';

const parent = { PATH: '/bin', HOME: '/h', OPENAI_API_KEY: 'sk', GH_TOKEN: 't', AWS_REGION: 'x', FOO: 'bar' };

describe('shell_environment_policy', () => {
  it('inherits everything but secrets by default', () => {
    expect(shellEnvironment(parent, undefined)).toEqual({ PATH: '/bin', HOME: '/h', AWS_REGION: 'x', FOO: 'bar' });
  });
  it('applies inherit, excludes, set and include_only in order', () => {
    expect(shellEnvironment(parent, { inherit: 'core' })).toEqual({ PATH: '/bin', HOME: '/h' });
    expect(shellEnvironment(parent, { ignore_default_excludes: true, exclude: ['aws_*'] })).toEqual({ PATH: '/bin', HOME: '/h', OPENAI_API_KEY: 'sk', GH_TOKEN: 't', FOO: 'bar' });
    expect(shellEnvironment(parent, { inherit: 'none', set: { A: '1' } })).toEqual({ A: '1' });
    expect(shellEnvironment(parent, { include_only: ['P*', 'F?O'] })).toEqual({ PATH: '/bin', FOO: 'bar' });
  });
});
