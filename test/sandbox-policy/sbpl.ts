// A small SBPL reader for the tests: parses a generated Seatbelt profile and answers allow/deny for
// one operation by Seatbelt's rule: the LAST rule whose operation and filters match decides. It is
// strict — an unknown filter or an undefined `(param …)` throws — so the profile cannot use a
// construct the tests do not understand. This is our model of Seatbelt, checked against its
// documented semantics, not against macOS itself (no macOS here).
import { isWithin } from '../../sandbox/index.js';

export type Sexp = string | { str: string } | { re: string } | Sexp[];

function tokenize(text: string): Sexp[] {
  const stack: Sexp[][] = [[]];
  let i = 0;
  const top = () => stack[stack.length - 1]!;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '(') {
      const l: Sexp[] = [];
      top().push(l);
      stack.push(l);
      i++;
    } else if (c === ')') {
      if (stack.length === 1) throw new Error(`unbalanced ) at ${i}`);
      stack.pop();
      i++;
    } else if (c === '"' || (c === '#' && text[i + 1] === '"')) {
      const isRe = c === '#';
      i += isRe ? 2 : 1;
      let s = '';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && text[i + 1] === '"') {
          s += '"';
          i += 2;
        } else s += text[i++];
      }
      if (i >= text.length) throw new Error('unterminated string');
      i++;
      top().push(isRe ? { re: s } : { str: s });
    } else {
      let s = '';
      while (i < text.length && !/[\s()";]/.test(text[i]!)) s += text[i++];
      top().push(s);
    }
  }
  if (stack.length !== 1) throw new Error('unbalanced (');
  return stack[0]!;
}

export interface Rule {
  action: 'allow' | 'deny';
  ops: string[];
  filters: Sexp[];
}

export interface Query {
  op: string;
  path?: string;
  /** The path is a Unix socket being bound (local) or connected to (remote). */
  unixSocket?: 'local' | 'remote';
  socketDomain?: string;
  sysctl?: string;
  machName?: string;
  extensions?: string[];
  vnodeType?: string;
  target?: 'same-sandbox' | 'other';
}

export interface Profile {
  rules: Rule[];
  evaluate(q: Query): 'allow' | 'deny';
  /** Every (param "…") name the profile uses. */
  usedParams: Set<string>;
}

const isList = (x: Sexp): x is Sexp[] => Array.isArray(x);
const strOf = (x: Sexp | undefined): string => {
  if (x !== undefined && typeof x === 'object' && !Array.isArray(x) && 'str' in x) return x.str;
  throw new Error(`expected a string, got ${JSON.stringify(x)}`);
};
const reOf = (x: Sexp | undefined): string => {
  if (x !== undefined && typeof x === 'object' && !Array.isArray(x) && 're' in x) return x.re;
  throw new Error(`expected a regex literal, got ${JSON.stringify(x)}`);
};

export function parseSbpl(text: string, params: ReadonlyArray<[string, string]>): Profile {
  const values = new Map(params);
  const usedParams = new Set<string>();
  const rules: Rule[] = [];
  for (const form of tokenize(text)) {
    if (!isList(form)) throw new Error(`top-level atom ${JSON.stringify(form)}`);
    const head = form[0];
    if (head === 'version') continue;
    if (head !== 'allow' && head !== 'deny') throw new Error(`unknown top-level form ${JSON.stringify(head)}`);
    const ops = form.slice(1).filter((x): x is string => typeof x === 'string');
    const filters = form.slice(1).filter(isList);
    if (ops.length === 0) throw new Error(`rule without operation: ${JSON.stringify(form)}`);
    rules.push({ action: head, ops, filters });
  }
  const pathArg = (x: Sexp | undefined): string => {
    if (isList(x!) && x[0] === 'param') {
      const name = strOf(x[1]);
      const v = values.get(name);
      if (v === undefined) throw new Error(`undefined parameter ${name}`);
      usedParams.add(name);
      return v;
    }
    return strOf(x);
  };
  // Resolve every param once so unused/undefined ones are found even if no query reaches them.
  const walk = (x: Sexp): void => {
    if (!isList(x)) return;
    if (x[0] === 'param') pathArg(x);
    else x.forEach(walk);
  };
  rules.forEach((r) => r.filters.forEach(walk));

  const pathFilter = (f: Sexp[], p: string | undefined): boolean => {
    if (p === undefined) return false;
    switch (f[0]) {
      case 'literal':
      case 'path':
        return p === pathArg(f[1]);
      case 'subpath':
        return isWithin(pathArg(f[1]), p);
      case 'regex':
        return new RegExp(reOf(f[1])).test(p);
      case 'path-ancestors':
        return isWithin(p, pathArg(f[1]));
      default:
        return matchFilter(f, { path: p, op: '' });
    }
  };
  const matchFilter = (f: Sexp, q: Query): boolean => {
    if (!isList(f)) throw new Error(`filter atom ${JSON.stringify(f)}`);
    const [name, ...args] = f;
    switch (name) {
      case 'literal':
      case 'path':
      case 'subpath':
      case 'regex':
      case 'path-ancestors':
        return q.unixSocket === undefined && pathFilter(f, q.path);
      case 'require-all':
        return args.every((a) => matchFilter(a, q));
      case 'require-any':
        return args.some((a) => matchFilter(a, q));
      case 'require-not':
        return !matchFilter(args[0]!, q);
      case 'extension':
        return (q.extensions ?? []).includes(strOf(args[0]));
      case 'vnode-type':
        return q.vnodeType === args[0];
      case 'local':
      case 'remote': {
        if (args[0] !== 'unix-socket') return false; // ip filters: this model only asks about Unix sockets
        if (q.unixSocket !== name) return false;
        return args.length === 1 || pathFilter(args[1] as Sexp[], q.path);
      }
      case 'socket-domain':
        return q.socketDomain === args[0];
      case 'socket-protocol':
        return false;
      case 'sysctl-name':
        return q.sysctl === strOf(args[0]);
      case 'sysctl-name-prefix':
        return q.sysctl !== undefined && q.sysctl.startsWith(strOf(args[0]));
      case 'target':
        return q.target === args[0];
      case 'global-name':
      case 'local-name':
        return q.machName === strOf(args[0]);
      case 'ipc-posix-name':
      case 'ipc-posix-name-prefix':
      case 'ipc-posix-name-regex':
      case 'iokit-registry-entry-class':
      case 'mac-policy-name':
      case 'fsctl-command':
        return false; // not asked about by these tests
      default:
        throw new Error(`unknown SBPL filter ${JSON.stringify(name)}`);
    }
  };
  const opMatches = (ruleOp: string, op: string): boolean =>
    ruleOp === 'default' || ruleOp === op || (ruleOp.endsWith('*') && op.startsWith(ruleOp.slice(0, -1)));
  return {
    rules,
    usedParams,
    evaluate(q) {
      let verdict: 'allow' | 'deny' | undefined;
      for (const r of rules) {
        if (!r.ops.some((o) => opMatches(o, q.op))) continue;
        if (r.filters.length === 0 || r.filters.some((f) => matchFilter(f, q))) verdict = r.action;
      }
      if (verdict === undefined) throw new Error('profile has no (deny default)');
      return verdict;
    },
  };
}
