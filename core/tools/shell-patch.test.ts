import { describe, expect, it } from 'vitest';
import { patchFromArgv, patchFromScript } from './shell-patch.js';

const P = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch';

describe('apply_patch invoked through the shell', () => {
  it('accepts the heredoc forms (quoted or not, applypatch, <<-, cd first, trailing newline)', () => {
    expect(patchFromScript(`apply_patch <<'EOF'\n${P}\nEOF\n`)).toEqual({ patch: P });
    expect(patchFromScript(`apply_patch <<"PATCH"\n${P}\nPATCH`)).toEqual({ patch: P });
    expect(patchFromScript(`applypatch <<EOF\n${P}\nEOF`)).toEqual({ patch: P });
    expect(patchFromScript(`  apply_patch <<-'EOF'\n${P}\nEOF  \n`)).toEqual({ patch: P });
    expect(patchFromScript(`cd src/lib && apply_patch <<'EOF'\n${P}\nEOF`)).toEqual({ patch: P, cd: 'src/lib' });
    expect(patchFromScript(`cd 'dir with space' && apply_patch <<'EOF'\n${P}\nEOF`)).toEqual({ patch: P, cd: 'dir with space' });
  });

  it('accepts one quoted argument', () => {
    expect(patchFromScript(`apply_patch '${P}'`)).toEqual({ patch: P });
    expect(patchFromScript(`apply_patch "${P.replace('hi', 'say \\"hi\\"')}"`)).toEqual({ patch: P.replace('hi', 'say "hi"') });
  });

  it('leaves anything else to the shell', () => {
    for (const s of [
      `apply_patch <<'EOF'\n${P}\nEOF\necho more`,
      `echo x && apply_patch <<'EOF'\n${P}\nEOF`,
      `apply_patch`,
      `apply_patch a b`,
      `apply_patch <<'EOF'\n${P}\nEND`,
      `rm -rf x; apply_patch '${P}'`,
      `cat <<'EOF'\n${P}\nEOF`,
    ]) {
      expect(patchFromScript(s), s).toBeUndefined();
    }
  });

  it('argv forms: [apply_patch, PATCH] and a shell -lc script', () => {
    expect(patchFromArgv(['apply_patch', P])).toEqual({ patch: P });
    expect(patchFromArgv(['applypatch', P])).toEqual({ patch: P });
    expect(patchFromArgv(['bash', '-lc', `apply_patch <<'EOF'\n${P}\nEOF`])).toEqual({ patch: P });
    expect(patchFromArgv(['apply_patch', P, 'extra'])).toBeUndefined();
    expect(patchFromArgv(['python3', '-c', 'apply_patch'])).toBeUndefined();
  });
});
