// Extra certificate authorities for HTTPS endpoints: which variables count, and a real TLS loopback
// server signed by a throwaway CA (made with the openssl CLI) that `codex exec` trusts only through
// them. Also: no program reads a CA bundle at start-up (the embedded node's own lookup is renamed).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caSources, extraCertificates, pemCertificates } from '../../core/model/ca-bundle.js';
import { APPLY_PATCH_BIN, CODEX_BIN, SANDBOX_BIN, tempDir } from '../helpers/bin.js';
import { startMock, type MockServer } from '../mock/server.js';
import { runCodex } from './_exec.js';

const NO_CA = { CODEX_CA_CERTIFICATE: '', SSL_CERT_FILE: '', NODE_EXTRA_CA_CERTS: '' };

describe('CA bundle variables (pure)', () => {
  it('reads CODEX_CA_CERTIFICATE, else SSL_CERT_FILE, plus NODE_EXTRA_CA_CERTS', () => {
    expect(caSources({})).toEqual([]);
    expect(caSources({ SSL_CERT_FILE: '/s', CODEX_CA_CERTIFICATE: '/c' }).map((s) => [s.variable, s.path, s.strict])).toEqual([['CODEX_CA_CERTIFICATE', '/c', true]]);
    expect(caSources({ SSL_CERT_FILE: '/s', CODEX_CA_CERTIFICATE: '' }).map((s) => s.variable)).toEqual(['SSL_CERT_FILE']);
    expect(caSources({ SSL_CERT_FILE: '/s', NODE_EXTRA_CA_CERTS: '/n' }).map((s) => [s.variable, s.strict])).toEqual([
      ['SSL_CERT_FILE', true],
      ['NODE_EXTRA_CA_CERTS', false],
    ]);
  });

  it('takes CERTIFICATE blocks, OpenSSL TRUSTED ones as plain ones, and nothing else', () => {
    const body = 'MIIB\nAAAA\n';
    const text = `junk\n-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n-----BEGIN TRUSTED CERTIFICATE-----\n${body}-----END TRUSTED CERTIFICATE-----\n`;
    expect(pemCertificates(text)).toEqual([`-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----`, `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----`]);
    expect(pemCertificates('no pem here')).toEqual([]);
  });

  it('refuses a bad Codex bundle and only warns about a bad node one', () => {
    const dir = tempDir('ca-pure-');
    const empty = path.join(dir, 'empty.pem');
    fs.writeFileSync(empty, 'nothing\n');
    expect(() => extraCertificates({ CODEX_CA_CERTIFICATE: path.join(dir, 'missing.pem') }, () => {})).toThrow(/CODEX_CA_CERTIFICATE=.*missing\.pem: cannot read it \(ENOENT\)/);
    expect(() => extraCertificates({ SSL_CERT_FILE: empty }, () => {})).toThrow(/no CERTIFICATE block/);
    expect(() => extraCertificates({ SSL_CERT_FILE: dir }, () => {})).toThrow(/it is a directory/);
    const warned: string[] = [];
    expect(extraCertificates({ NODE_EXTRA_CA_CERTS: empty }, (l) => warned.push(l))).toEqual([]);
    expect(warned).toEqual([`codex: warning: ignoring extra certificates from NODE_EXTRA_CA_CERTS=${empty}: no CERTIFICATE block in it`]);
    expect(extraCertificates({}, () => {})).toBeUndefined();
  });
});

describe('no program loads a CA bundle at start-up', () => {
  it('ignores NODE_EXTRA_CA_CERTS until an HTTPS request is made (node would warn about this one at start)', () => {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: '/nonexistent/codex-ts-ca.pem' };
    for (const [bin, args] of [
      [CODEX_BIN, ['--version']],
      [APPLY_PATCH_BIN, ['--help']],
      [SANDBOX_BIN, ['--help']],
    ] as const) {
      const r = spawnSync(bin, args, { env, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, `${bin} ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
    }
  });
});

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
describe.skipIf(!openssl)(`codex exec over HTTPS with a private CA${openssl ? '' : ' (skipped: the openssl CLI, which makes the throwaway CA, is not installed)'}`, () => {
  let dir: string;
  let mock: MockServer;
  let ca: string;

  const sh = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };

  beforeAll(async () => {
    dir = tempDir('ca-tls-');
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    sh(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=codex-ts test CA']);
    sh(['req', ...ec, '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1']);
    fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    sh(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.pem', '-days', '2', '-extfile', 'ext.cnf']);
    ca = path.join(dir, 'ca.pem');
    mock = await startMock({ tls: { key: fs.readFileSync(path.join(dir, 'srv.key'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'srv.pem'), 'utf8') } });
  });
  afterAll(async () => {
    await mock?.close();
  });

  const exec = async (env: Record<string, string>, json = true) => {
    const home = path.join(tempDir('ca-home-'), 'home');
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(
      path.join(home, 'config.toml'),
      `model = "mock-model"\nmodel_provider = "mock"\n[model_providers.mock]\nname = "mock"\nbase_url = "${mock.url}"\nwire_api = "responses"\nenv_key = "MOCK_KEY"\nrequest_max_retries = 0\n`,
    );
    return runCodex(['exec', ...(json ? ['--json'] : []), '--skip-git-repo-check', 'hello over tls'], { home, cwd: dir, env: { ...NO_CA, ...env } });
  };

  it.each([['CODEX_CA_CERTIFICATE'], ['SSL_CERT_FILE'], ['NODE_EXTRA_CA_CERTS']])('trusts the server through %s', async (variable) => {
    const before = mock.requests.length;
    const r = await exec({ [variable]: ca });
    expect(r.status, r.stderr).toBe(0);
    expect(r.events.at(-1)!.type).toBe('turn.completed');
    expect(mock.requests.length).toBe(before + 1);
  });

  it('does not trust it without them', async () => {
    const before = mock.requests.length;
    const r = await exec({});
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/certificate/i);
    expect(mock.requests.length).toBe(before);
  });

  it('stops at once with CA_BUNDLE_INVALID when the Codex variable names a bad file (no retries)', async () => {
    const r = await exec({ CODEX_CA_CERTIFICATE: path.join(dir, 'srv.csr') });
    expect(r.status).toBe(1);
    const errors = r.events.filter((e) => e.type === 'error').map((e) => e.message);
    expect(errors).toEqual([expect.stringMatching(/^CODEX_CA_CERTIFICATE=.*srv\.csr: no CERTIFICATE block in it; /)]);
    expect(r.events.at(-1)!.type).toBe('turn.failed');
    // Without --json the one-line error carries the code.
    const plain = await exec({ CODEX_CA_CERTIFICATE: path.join(dir, 'srv.csr') }, false);
    expect(plain.status).toBe(1);
    expect(plain.stderr.trim().split('\n').at(-1)).toMatch(/^codex: CODEX_CA_CERTIFICATE=.*srv\.csr: no CERTIFICATE block in it; .*\[CA_BUNDLE_INVALID\]$/);
  });

  it('warns about a bad NODE_EXTRA_CA_CERTS and goes on with the other bundle', async () => {
    const r = await exec({ SSL_CERT_FILE: ca, NODE_EXTRA_CA_CERTS: path.join(dir, 'missing.pem') });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`codex: warning: ignoring extra certificates from NODE_EXTRA_CA_CERTS=${path.join(dir, 'missing.pem')}: cannot read it (ENOENT)`);
  });
});
