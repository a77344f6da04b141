// Extra certificate authorities for HTTPS model endpoints, read from the environment when the first
// HTTPS request is made (never at start-up: the build stops the embedded node from loading
// NODE_EXTRA_CA_CERTS itself, which cost every start of all three programs ~35 ms).
//
// - CODEX_CA_CERTIFICATE, else SSL_CERT_FILE: the variables Codex 0.169 reads. A bundle that cannot
//   be read or holds no certificate is an error (CA_BUNDLE_INVALID), as there.
// - NODE_EXTRA_CA_CERTS: node's own variable, kept working for people who set it for node tools;
//   as in node, a bad bundle only gives a warning.
// Either adds to node's built-in roots; neither replaces them.
import * as fs from 'node:fs';
import * as tls from 'node:tls';
import { CodexError } from '../../protocol/index.js';

export interface CaSource {
  variable: 'CODEX_CA_CERTIFICATE' | 'SSL_CERT_FILE' | 'NODE_EXTRA_CA_CERTS';
  path: string;
  /** A bad bundle is an error (else a warning). */
  strict: boolean;
}

/** Which bundles the environment names, in the order they are read. Pure. */
export function caSources(env: NodeJS.ProcessEnv): CaSource[] {
  const out: CaSource[] = [];
  const codex = env.CODEX_CA_CERTIFICATE || undefined;
  const ssl = env.SSL_CERT_FILE || undefined;
  if (codex) out.push({ variable: 'CODEX_CA_CERTIFICATE', path: codex, strict: true });
  else if (ssl) out.push({ variable: 'SSL_CERT_FILE', path: ssl, strict: true });
  const node = env.NODE_EXTRA_CA_CERTS || undefined;
  if (node) out.push({ variable: 'NODE_EXTRA_CA_CERTS', path: node, strict: false });
  return out;
}

const PEM_BLOCK = /-----BEGIN (TRUSTED )?CERTIFICATE-----[\s\S]*?-----END \1?CERTIFICATE-----/g;

/** The CERTIFICATE blocks of a PEM text (OpenSSL's TRUSTED CERTIFICATE label read as a plain one). Pure. */
export function pemCertificates(text: string): string[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => (m[1] ? m[0].replace(/(BEGIN|END) TRUSTED CERTIFICATE/g, '$1 CERTIFICATE') : m[0]));
}

/**
 * The extra certificates the environment asks for, or undefined when it asks for none (then the
 * default trust applies unchanged). Throws CA_BUNDLE_INVALID for a bad strict bundle.
 */
export function extraCertificates(env: NodeJS.ProcessEnv, warn: (line: string) => void): string[] | undefined {
  const sources = caSources(env);
  if (sources.length === 0) return undefined;
  const certs: string[] = [];
  for (const s of sources) {
    let problem: string | undefined;
    try {
      const found = pemCertificates(fs.readFileSync(s.path, 'latin1'));
      if (found.length === 0) problem = 'no CERTIFICATE block in it';
      certs.push(...found);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      problem = err.code === 'EISDIR' ? 'it is a directory' : `cannot read it (${err.code ?? err.message})`;
    }
    if (problem === undefined) continue;
    const what = `${s.variable}=${s.path}: ${problem}`;
    if (s.strict) throw new CodexError('CA_BUNDLE_INVALID', `${what}; point it at a PEM file with one or more CERTIFICATE blocks, or unset it`);
    warn(`codex: warning: ignoring extra certificates from ${what}`);
  }
  return certs;
}

let cached: { ca: string[] | undefined } | undefined;

/** The `ca` option for HTTPS requests of this process (undefined: node's default roots). */
export function httpsCa(): string[] | undefined {
  if (!cached) {
    const extra = extraCertificates(process.env, (line) => process.stderr.write(line + '\n'));
    cached = { ca: extra && extra.length > 0 ? [...tls.rootCertificates, ...extra] : undefined };
  }
  return cached.ca;
}
