// Independent models of what each backend would actually enforce for a policy, used to check the
// route decision. They model the mechanism, not our intent: Landlock grants the union of every rule
// covering a path (allow-only, inherited); bubblewrap mounts make the most specific mount win; the
// Seatbelt model evaluates the generated SBPL text; Windows ACLs combine allow ACEs with deny-write
// ACEs on read-only carveouts.
import { accessOf, isStrictlyWithin, isWithin, seatbeltProfile, type Access, type Backend, type EffectivePolicy } from '../../sandbox/index.js';
import { parseSbpl } from './sbpl.js';

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

/** Evaluate the generated SBPL by last-match-wins (sbpl.ts): write = may write data, read = may read data. */
export function seatbeltModel(policy: EffectivePolicy): AccessFn {
  const { profile, params } = seatbeltProfile(policy);
  const sb = parseSbpl(profile, params);
  return (p) => {
    if (sb.evaluate({ op: 'file-write-data', path: p }) === 'allow' && sb.evaluate({ op: 'file-write-create', path: p }) === 'allow') return 'write';
    return sb.evaluate({ op: 'file-read-data', path: p }) === 'allow' ? 'read' : 'none';
  };
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
