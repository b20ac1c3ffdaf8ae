/* eslint-disable security/detect-non-literal-fs-filename -- the repository's deploy files and temp folders the test creates. */
// The production deployment files of sync-server/deploy/: the systemd unit (systemd-analyze
// verify), the nginx TLS reverse proxy (nginx -t, then a real nginx in front of a real
// server: TLS, HSTS, the API's headers through the proxy, the event stream unbuffered),
// and the OCI image definition (static checks: the image cannot be built here).
// A missing program skips with its name, except under CI=true where .ci/run installs it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../http/security';
import { createTestDatabase } from '../testing/engines';
import { startTestServer } from '../testing/server';

const deploy = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../deploy');
const root = path.resolve(deploy, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clinique-deploy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function program(name: string, candidates: string[] = []): string | undefined {
  for (const p of [...candidates, ...(process.env['PATH'] ?? '').split(':').map((d) => path.join(d, name))]) {
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

function needs(name: string, found: string | undefined, ctx: { skip(note: string): void }): found is string {
  if (found) return true;
  if (process.env['CI'] === 'true')
    throw new Error(`${name} is required under CI=true (.ci/run installs it)`);
  ctx.skip(`${name} not installed: not checked`);
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('systemd unit', () => {
  const unit = path.join(deploy, 'systemd/clinique-sync.service');
  const text = fs.readFileSync(unit, 'utf8');

  it('is sandboxed', () => {
    for (const line of [
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ProtectHome=yes',
      'PrivateTmp=yes',
      'PrivateDevices=yes',
      'ProtectKernelTunables=yes',
      'ProtectKernelModules=yes',
      'ProtectControlGroups=yes',
      'RestrictNamespaces=yes',
      'RestrictSUIDSGID=yes',
      'LockPersonality=yes',
      'CapabilityBoundingSet=',
      'SystemCallFilter=@system-service',
      'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
      'StateDirectory=clinique-sync',
      'UMask=0077',
      'User=clinique-sync',
      'Environment=HOST=127.0.0.1',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    expect(text).not.toMatch(/^User=root/m);
    expect(text).not.toMatch(/PASSWORD|TOKEN=|DATABASE_URL=/);
  });

  it('passes systemd-analyze verify', (ctx) => {
    const analyze = program('systemd-analyze');
    if (!needs('systemd-analyze', analyze, ctx)) return;
    const run = spawnSync(analyze, ['verify', unit], { encoding: 'utf8' });
    // verify prints nothing and exits 0 for a clean unit; any warning about this unit fails.
    expect(run.stderr.split('\n').filter((l) => l.includes('clinique-sync'))).toEqual([]);
    expect(run.status).toBe(0);
  });
});

describe('nginx TLS reverse proxy', () => {
  const conf = fs.readFileSync(path.join(deploy, 'nginx/clinique-sync.conf'), 'utf8');

  it('TLS 1.2+ only, HSTS, HTTP redirected, stream unbuffered, body limit of the server', () => {
    expect(conf).toMatch(/ssl_protocols TLSv1\.2 TLSv1\.3;/);
    expect(conf).toMatch(/add_header Strict-Transport-Security "max-age=\d{8,}" always;/);
    expect(conf).toMatch(/return 301 https:\/\/\$host\$request_uri;/);
    expect(conf).toMatch(/location = \/v1\/replication\/stream \{[^}]*proxy_buffering off;/);
    expect(conf).toMatch(/client_max_body_size 8m;/);
    expect(conf).toMatch(/server 127\.0\.0\.1:8787;/);
    expect(conf).not.toMatch(/TLSv1(\.1)?[; ]/);
  });

  it('runs in front of the server: TLS with the clinic CA, HSTS and the API headers, TLS 1.1 refused', async (ctx) => {
    const nginx = program('nginx', ['/usr/sbin/nginx']);
    if (!needs('nginx', nginx, ctx)) return;
    const openssl = program('openssl');
    if (!needs('openssl', openssl, ctx)) return;
    const f = (n: string) => path.join(tmp, n);
    const ssl = (args: string[]) => execFileSync(openssl, args, { stdio: 'ignore' });
    ssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=Clinique Test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ]);
    ssl([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      f('sync.key'),
      '-out',
      f('sync.csr'),
      '-subj',
      '/CN=127.0.0.1',
    ]);
    fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    ssl([
      'x509',
      '-req',
      '-in',
      f('sync.csr'),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f('sync.crt'),
      '-days',
      '2',
      '-extfile',
      f('ext.cnf'),
    ]);

    const db = await createTestDatabase('sqlite');
    const server = await startTestServer(await db.open());
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const upstream = new URL(server.url).port;
    const site = conf
      .replace('server 127.0.0.1:8787;', `server 127.0.0.1:${upstream};`)
      .replace(/listen 80;/, `listen 127.0.0.1:${httpPort};`)
      .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl http2;`)
      .replace(/\n\s*listen \[::\]:\d+[^;]*;/g, '')
      .replace('/etc/ssl/clinique/sync.crt', f('sync.crt'))
      .replace('/etc/ssl/clinique/sync.key', f('sync.key'));
    fs.writeFileSync(f('site.conf'), site);
    fs.mkdirSync(f('nginx'), { recursive: true });
    fs.writeFileSync(
      f('nginx.conf'),
      `pid ${f('nginx.pid')};\nerror_log ${f('nginx-error.log')} warn;\n${process.getuid?.() === 0 ? 'user nobody nogroup;\n' : ''}worker_processes 1;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n  client_body_temp_path ${f('nginx')}/body;\n  proxy_temp_path ${f('nginx')}/proxy;\n  fastcgi_temp_path ${f('nginx')}/fastcgi;\n  uwsgi_temp_path ${f('nginx')}/uwsgi;\n  scgi_temp_path ${f('nginx')}/scgi;\n  include ${f('site.conf')};\n}\n`,
    );
    const test = spawnSync(nginx, ['-t', '-q', '-p', tmp, '-c', f('nginx.conf')], { encoding: 'utf8' });
    expect(test.stderr).toBe('');
    expect(test.status).toBe(0);
    const proc = spawn(nginx, ['-p', tmp, '-c', f('nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    try {
      const ca = fs.readFileSync(f('ca.pem'), 'utf8');
      const agent = new Agent({ connect: { ca } });
      let res: Awaited<ReturnType<typeof undiciFetch>> | undefined;
      for (let i = 0; i < 50 && !res; i++) {
        res = await undiciFetch(`https://127.0.0.1:${httpsPort}/healthz`, { dispatcher: agent }).catch(
          async () => {
            await new Promise((r) => setTimeout(r, 100));
            return undefined;
          },
        );
      }
      expect(res?.status).toBe(200);
      expect(res?.headers.get('strict-transport-security')).toBe('max-age=63072000');
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        expect(res?.headers.get(name), name).toBe(value);
      expect(res?.headers.get('server')).toBe('nginx');
      // Without the clinic CA the certificate is refused.
      await expect(undiciFetch(`https://127.0.0.1:${httpsPort}/healthz`)).rejects.toThrow();
      // Plain HTTP is sent to HTTPS.
      const redirect = await fetch(`http://127.0.0.1:${httpPort}/healthz`, { redirect: 'manual' });
      expect(redirect.status).toBe(301);
      expect(redirect.headers.get('location')).toBe(`https://127.0.0.1/healthz`);
      // TLS 1.1 is refused.
      const old = spawnSync(
        openssl,
        ['s_client', '-connect', `127.0.0.1:${httpsPort}`, '-tls1_1', '-CAfile', f('ca.pem')],
        { input: '', encoding: 'utf8', timeout: 10_000 },
      );
      expect(old.status).not.toBe(0);
      await agent.close();
    } finally {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      await server.close();
      await db.destroy();
    }
  }, 60_000);
});

describe('OCI image definition', () => {
  const text = fs.readFileSync(path.join(deploy, 'Containerfile'), 'utf8');

  it('runs as a non-root user, has no secret, a health check, the server port and a data volume', () => {
    const lines = text.split('\n');
    const stages = lines.filter((l) => l.startsWith('FROM '));
    expect(stages.length).toBe(2);
    for (const s of stages) expect(s).toMatch(/node:20-bookworm-slim/);
    const lastFrom = lines.lastIndexOf(stages[1] ?? '');
    const final = lines.slice(lastFrom);
    expect(final.find((l) => l.startsWith('USER '))).toBe('USER node');
    expect(final.some((l) => l.startsWith('HEALTHCHECK '))).toBe(true);
    expect(final).toContain('EXPOSE 8787');
    expect(final.some((l) => l.startsWith('VOLUME ') && l.includes('/var/lib/clinique-sync'))).toBe(true);
    expect(text).not.toMatch(/^(ENV|ARG)\b.*(PASSWORD|TOKEN|SECRET|DATABASE_URL)/im);
  });

  it('copies only files that exist', () => {
    for (const m of text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const src of (m[1] ?? '').split(' ')) expect(fs.existsSync(path.join(root, src)), src).toBe(true);
    }
  });
});
