/* eslint-disable security/detect-non-literal-fs-filename -- every path here comes from mkdtempSync */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { createAuditLog } from '../audit/audit-log';
import { createCheckpointService } from '../audit/checkpoints';
import { loadOrCreateSigningKey } from '../audit/signing';
import type { Engine } from '../db/engine';
import { forEachEngine } from '../testing/engines';
import type { AuditRecord } from '../types';
import { runAuditCommand } from './audit-commands';

const clock = () => Date.parse('2026-03-01T10:00:00.000Z');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-'));
  dirs.push(dir);
  return dir;
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function run(engine: Engine, dataDir: string, ...args: string[]) {
  const stdout = collect();
  const stderr = collect();
  const code = await runAuditCommand(args, { engine, stdout: stdout.stream, stderr: stderr.stream, dataDir, clock, language: 'en' });
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const rec = (i: number): AuditRecord => ({
  id: `c-${i}`,
  source: 'server',
  userId: 'u',
  role: 'practitioner',
  workstation: 'ws',
  action: 'read',
  patientId: i % 2 ? 'p-odd' : 'p-even',
  instant: new Date(Date.UTC(2026, 1, 3, 12, 0, i)).toISOString(),
  outcome: 'success',
  ...(i === 3 ? { reason: 'dit "non", puis oui' } : {}),
});

forEachEngine('audit CLI', (getEngine) => {
  it('verify: exit 0 with the head, exit 1 with the first bad sequence', async () => {
    const engine = getEngine();
    const dataDir = tempDir();
    const log = createAuditLog({ engine, clock });
    await engine.transaction((tx) => log.append(tx, Array.from({ length: 9 }, (_, i) => rec(i))));
    const checkpoint = await run(engine, dataDir, 'audit', 'checkpoint');
    expect(checkpoint.code).toBe(0);
    expect(JSON.parse(checkpoint.stdout)).toMatchObject({ sequence: 9 });
    const head = await log.head();
    const ok = await run(engine, dataDir, 'audit', 'verify');
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toContain(`9 entries, head ${head.hash}`);
    expect(ok.stdout).toContain('signed checkpoints checked: 1');

    if (engine.kind === 'sqlite') await engine.execute('DROP TRIGGER audit_log_no_update');
    else await engine.execute('DROP TRIGGER audit_log_no_change ON audit_log');
    await engine.execute("UPDATE audit_log SET outcome = 'denied' WHERE sequence = 6");
    const broken = await run(engine, dataDir, 'audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('first bad sequence: 6 (hash)');
    expect(broken.stderr).toContain('AUDIT_CHAIN_BROKEN');
  });

  it('verify trusts checkpoints of another key only when given its public key', async () => {
    const engine = getEngine();
    const log = createAuditLog({ engine, clock });
    await engine.transaction((tx) => log.append(tx, [rec(1), rec(2)]));
    const otherDir = tempDir();
    const other = loadOrCreateSigningKey({ dir: otherDir });
    await createCheckpointService({ engine, clock, signer: other, log }).create();
    const pem = path.join(otherDir, 'other.pub.pem');
    fs.writeFileSync(pem, other.publicKeyPem);
    const dataDir = tempDir();
    expect((await run(engine, dataDir, 'verify')).stdout).toContain('not trusted (ignored): 1');
    expect((await run(engine, dataDir, 'verify', '--public-key', pem)).stdout).toContain('signed checkpoints checked: 1\n');
  });

  it('export: CSV of a range (and a patient) to stdout, the export itself recorded', async () => {
    const engine = getEngine();
    const dataDir = tempDir();
    const log = createAuditLog({ engine, clock });
    await engine.transaction((tx) => log.append(tx, Array.from({ length: 8 }, (_, i) => rec(i))));
    const all = await run(engine, dataDir, 'audit', 'export', '--from', '2026-02-03', '--to=2026-02-04');
    expect(all.code).toBe(0);
    expect(all.stdout.startsWith('\uFEFFsequence,instant,')).toBe(true);
    const lines = all.stdout.slice(1).split('\r\n');
    expect(lines).toHaveLength(1 + 8 + 1);
    expect(lines.at(-1)).toBe('');
    expect(lines[4]).toContain(',"dit ""non"", puis oui",');
    const odd = await run(engine, dataDir, 'export', '--from', '2026-02-03T12:00:02.000Z', '--to', '2026-02-04', '--patient', 'p-odd');
    expect(odd.stdout.slice(1).split('\r\n').slice(1, -1).map((l) => l.split(',')[0])).toEqual(['4', '6', '8']);
    const recorded = await log.search({ action: 'export', limit: 10 });
    expect(recorded.entries.map((e) => [e.userId, e.patientId ?? null])).toEqual([
      ['server-cli', 'p-odd'],
      ['server-cli', null],
    ]);
  });

  it('bad usage: exit 2 with the usage; an inverted range: exit 1', async () => {
    const engine = getEngine();
    const dataDir = tempDir();
    for (const args of [['audit'], ['audit', 'frobnicate'], ['audit', 'export', '--from', '2026-02-03'], ['audit', 'export', '--from', 'yesterday', '--to', '2026-02-04']]) {
      const result = await run(engine, dataDir, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('AUDIT_CLI_USAGE');
      expect(result.stderr).toContain('audit verify');
    }
    const inverted = await run(engine, dataDir, 'audit', 'export', '--from', '2026-02-04', '--to', '2026-02-03');
    expect(inverted.code).toBe(1);
    expect(inverted.stderr).toContain('AUDIT_RANGE_INVALID');
  });
});
