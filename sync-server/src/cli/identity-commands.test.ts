import { PassThrough, Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { createAccessService } from '../access/access-service';
import { createAuditLog } from '../audit/audit-log';
import { createAuthService } from '../auth/auth-service';
import { manualClock } from '../auth/test-support';
import { forEachEngine } from '../testing/engines';
import { runIdentityCommand } from './identity-commands';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

forEachEngine('identity CLI', (getEngine) => {
  async function run(args: string[], stdin = '') {
    const engine = getEngine();
    const stdout = capture();
    const stderr = capture();
    const code = await runIdentityCommand(args, {
      engine,
      stdout: stdout.stream,
      stderr: stderr.stream,
      stdin: Readable.from([stdin]),
      clock: manualClock(),
    });
    return { code, out: stdout.text(), err: stderr.text() };
  }

  it('creates the first admin with the password from stdin, who can then log in', async () => {
    const engine = getEngine();
    const created = await run(['user', 'create', 'admin', '--role', 'admin', '--display-name', 'Service informatique'], 'un mot de passe solide\nrest');
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toContain('user admin created (admin');
    const ws = await run(['workstation', 'register', 'Accueil']);
    const wsId = /id (\S+)/.exec(ws.out)?.[1] ?? '';
    expect(wsId).not.toBe('');

    const clock = manualClock();
    const auth = createAuthService({ engine, audit: createAuditLog({ engine, clock }), clock });
    const session = await auth.login({ username: 'admin', password: 'un mot de passe solide', workstationId: wsId }, { ip: '127.0.0.1' });
    expect(session.user.role).toBe('admin');
  });

  it('refuses a password on the command line and explains bad usage with exit code 2', async () => {
    const refused = await run(['user', 'create', 'x1', '--role', 'admin', '--display-name', 'X', '--password', 'oops-secret-here']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('AUTH_COMMAND_INVALID');
    expect(await getEngine().query('SELECT id FROM users')).toEqual([]);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['user', 'create', 'x1', '--role', 'root', '--display-name', 'X'])).code).toBe(2);
  });

  it('validates the RPPS and reports refusals in French with exit code 1', async () => {
    const noRpps = await run(['user', 'create', 'dr.a', '--role', 'practitioner', '--display-name', 'Dr A'], 'un mot de passe solide\n');
    expect(noRpps.code).toBe(1);
    expect(noRpps.err).toMatch(/^RPPS_REQUIRED: /);
    const ok = await run(
      ['user', 'create', 'dr.a', '--role', 'practitioner', '--display-name', 'Dr A', '--rpps', '10003456780'],
      'un mot de passe solide\n',
    );
    expect(ok.code).toBe(0);
  });

  it('grants, revokes (feeding access_revocations), manages teams and disables users', async () => {
    const engine = getEngine();
    await run(['user', 'create', 'dr.b', '--role', 'practitioner', '--display-name', 'Dr B', '--rpps', '10003456780'], 'un mot de passe solide\n');
    expect((await run(['grant', 'dr.b', 'pat-1'])).code).toBe(0);
    expect((await run(['grant', 'dr.b', 'pat-2', '--until', 'soon'])).code).toBe(2);
    expect((await run(['grant', 'nobody', 'pat-1'])).err).toMatch(/^AUTH_USER_NOT_FOUND/);
    expect((await run(['revoke', 'dr.b', 'pat-1'])).code).toBe(0);
    expect((await run(['revoke', 'dr.b', 'pat-1'])).code).toBe(1);
    expect(await engine.query('SELECT patient_id, cause FROM access_revocations')).toEqual([{ patient_id: 'pat-1', cause: 'grant_revoked' }]);

    expect((await run(['team', 'create', 'Cardiologie'])).code).toBe(0);
    expect((await run(['team', 'add', 'Cardiologie', 'dr.b'])).code).toBe(0);
    expect((await run(['team', 'share', 'Cardiologie', 'pat-3'])).code).toBe(0);
    const access = createAccessService({ engine, audit: createAuditLog({ engine, clock: manualClock() }), clock: manualClock() });
    const user = (await engine.query<{ id: string }>("SELECT id FROM users WHERE username = 'dr.b'"))[0]?.id ?? '';
    expect(await access.hasPatientAccess(engine, user, 'pat-3')).toBe(true);
    expect((await run(['team', 'unshare', 'Cardiologie', 'pat-3'])).code).toBe(0);
    expect(await access.hasPatientAccess(engine, user, 'pat-3')).toBe(false);

    expect((await run(['user', 'disable', 'dr.b'])).code).toBe(0);
    expect((await run(['user', 'list'])).out).toMatch(/dr\.b\tpractitioner\tDr B\t10003456780\tdisabled /);
  });
});
