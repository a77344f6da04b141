// Independent models of what each backend would actually enforce for a policy, used to check the
// route decision. They model the mechanism, not our intent: Landlock grants the union of every rule
// covering a path (allow-only, inherited); bubblewrap mounts make the most specific mount win; the
// Seatbelt model evaluates the generated SBPL text; Windows ACLs combine allow ACEs with deny-write
// ACEs on read-only carveouts.
import { accessOf, isStrictlyWithin, isWithin, seatbeltProfile, type Access, type Backend, type EffectivePolicy } from '../../sandbox/index.js';

export type AccessFn = (p: string) => Access;

const RANK: Record<Access, number> = { none: 0, read: 1, write: 2 };

export function landlockModel(policy: EffectivePolicy): AccessFn {
  return (p) => {
    let best: Access = 'none';
    for (const r of policy.rules) if (r.access !== 'none' && isWithin(r.path, p) && RANK[r.access] > RANK[best]) best = r.access;
    return best;
  };
}

export function mountModel(policy: EffectivePolicy): AccessFn {
  return (p) => accessOf(policy.rules, p);
}

/** Evaluate the generated SBPL: `(allow file-read* …)` / `(allow file-write* …)` region lists. */
export function seatbeltModel(policy: EffectivePolicy): AccessFn {
  const { profile, params } = seatbeltProfile(policy);
  const value = new Map(params);
  // One region per indented line after `(allow OP`; the last line also closes the allow form.
  const block = (op: string): string[] => {
    const lines = profile.split('\n');
    const start = lines.indexOf(`(allow ${op}`);
    if (start < 0) return [];
    const out: string[] = [];
    for (const l of lines.slice(start + 1)) {
      if (!l.startsWith('  ')) break;
      let r = l.trim();
      const depth = (x: string) => [...x].reduce((n, ch) => n + (ch === '(' ? 1 : ch === ')' ? -1 : 0), 0);
      while (depth(r) < 0) r = r.slice(0, -1);
      out.push(r);
    }
    return out;
  };
  const matches = (region: string, p: string): boolean => {
    const names = [...region.matchAll(/\(param "([A-Z_0-9]+)"\)/g)].map((m) => m[1]!);
    const [incl, ...excl] = names.map((n) => value.get(n)!);
    if (!region.startsWith('(subpath') && !region.startsWith('(require-all')) throw new Error(`unexpected region ${region}`);
    return isWithin(incl!, p) && excl.every((e) => !isWithin(e, p));
  };
  const reads = block('file-read*');
  const writes = block('file-write*');
  return (p) => (writes.some((r) => matches(r, p)) ? 'write' : reads.some((r) => matches(r, p)) ? 'read' : 'none');
}

function windowsModel(policy: EffectivePolicy, fullRead: boolean): AccessFn {
  const writes = policy.rules.filter((r) => r.access === 'write');
  const carveouts = policy.rules.filter((r) => r.access === 'read' && writes.some((w) => isStrictlyWithin(w.path, r.path)));
  return (p) => {
    const readable = fullRead || policy.rules.some((r) => r.access !== 'none' && isWithin(r.path, p));
    const writable = writes.some((w) => isWithin(w.path, p)) && !carveouts.some((c) => isWithin(c.path, p));
    return writable ? 'write' : readable ? 'read' : 'none';
  };
}

export function enforcedBy(backend: Backend, policy: EffectivePolicy): AccessFn {
  switch (backend) {
    case 'none':
      return () => 'write';
    case 'landlock':
      return landlockModel(policy);
    case 'bwrap':
      return mountModel(policy);
    case 'seatbelt':
      return seatbeltModel(policy);
    case 'windows-elevated':
      return windowsModel(policy, false);
    case 'windows-restricted-token':
      return windowsModel(policy, true);
  }
}

export { RANK };
