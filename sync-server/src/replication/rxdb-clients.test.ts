import { afterEach, beforeEach, expect, it } from 'vitest';
import { CLI_ACTOR } from '../auth/auth-service';
import { forEachEngine } from '../testing/engines';
import { makePatient } from '../testing/documents';
import type { RxWorkstation } from '../testing/rx-client';
import { openRxWorkstation } from '../testing/rx-client';
import type { TestServer, TestUser } from '../testing/server';
import { signIn, startTestServer } from '../testing/server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 4000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const docOf = async (ws: RxWorkstation, id: string) => (await ws.collection.findOne(id).exec())?.toJSON() as Record<string, unknown> | undefined;

forEachEngine('RxDB workstations through the HTTP server', (getEngine, { database }) => {
  let server: TestServer;
  let a: TestUser;
  let b: TestUser;
  const workstations: RxWorkstation[] = [];
  const servers: TestServer[] = [];
  const open = async (user: TestUser, s: TestServer = server) => {
    const ws = await openRxWorkstation({ url: s.url, token: user.accessToken, collection: 'patient' });
    workstations.push(ws);
    return ws;
  };

  beforeEach(async () => {
    server = await startTestServer(getEngine());
    servers.push(server);
    a = await signIn(server.services, 'practitioner');
    b = await signIn(server.services, 'practitioner');
    for (const id of ['p1', 'p2', 'p3']) await server.services.access.grant(CLI_ACTOR, { userId: b.userId, patientId: id });
  });
  afterEach(async () => {
    for (const ws of workstations.splice(0)) await ws.close();
    for (const s of servers.splice(0)) await s.close();
  });

  it('pushes from one workstation and reaches the other live; updates and deletions too', async () => {
    const wa = await open(a);
    const wb = await open(b);
    await wa.replication.awaitInitialReplication();
    await wb.replication.awaitInitialReplication();
    await wa.collection.insert(makePatient('p1', 'Martin'));
    await waitFor(async () => (await docOf(wb, 'p1'))?.birthName === 'Martin', 'insert on B');
    const doc = await wb.collection.findOne('p1').exec(true);
    await doc.incrementalPatch({ birthplaceCode: '75056' } as never);
    await waitFor(async () => (await docOf(wa, 'p1'))?.birthplaceCode === '75056', 'update on A');
    await (await wa.collection.findOne('p1').exec(true)).remove();
    await waitFor(async () => (await docOf(wb, 'p1')) === undefined, 'deletion on B');
    const [row] = await getEngine().query<{ deleted: unknown }>("SELECT deleted FROM documents WHERE id = 'p1'");
    expect(row?.deleted === true || row?.deleted === 1).toBe(true);
    expect(wb.streamEvents[0]).toBe('resync');
    expect(wb.streamEvents).toContain('change');
  });

  it('resolves concurrent offline edits through a server conflict: both workstations converge on one state', async () => {
    const wa = await open(a);
    const wb = await open(b);
    await wa.collection.insert(makePatient('p2', 'Bernard'));
    await waitFor(async () => (await docOf(wb, 'p2')) !== undefined, 'initial copy on B');
    await wa.replication.awaitInSync();
    await wb.replication.awaitInSync();
    await wa.setOnline(false);
    await wb.setOnline(false);
    await (await wa.collection.findOne('p2').exec(true)).incrementalPatch({ birthplaceCode: '69123' } as never);
    await (await wb.collection.findOne('p2').exec(true)).incrementalPatch({ birthplaceCode: '13055' } as never);
    await wa.setOnline(true);
    await waitFor(async () => {
      const [r] = await getEngine().query<{ data: string }>("SELECT data FROM documents WHERE id = 'p2'");
      return r !== undefined && (JSON.parse(r.data) as { birthplaceCode?: string }).birthplaceCode === '69123';
    }, 'A on the server');
    await wb.setOnline(true);
    wb.replication.reSync();
    // B's push assumed the old master: the server answers a conflict with A's state, and
    // RxDB's default handler keeps the master, so B converges on A's value.
    await waitFor(async () => (await docOf(wb, 'p2'))?.birthplaceCode === '69123', 'B converged');
    await wb.replication.awaitInSync();
    expect((await docOf(wa, 'p2'))?.birthplaceCode).toBe('69123');
    const [r] = await getEngine().query<{ data: string }>("SELECT data FROM documents WHERE id = 'p2'");
    expect((JSON.parse(r?.data ?? '{}') as { birthplaceCode?: string }).birthplaceCode).toBe('69123');
  });

  it('sends RESYNC on reconnect, so a change missed while the stream was down arrives', async () => {
    const wa = await open(a);
    const wb = await open(b);
    await wa.replication.awaitInitialReplication();
    await wb.replication.awaitInitialReplication();
    wb.dropStream();
    await sleep(50);
    await wa.collection.insert(makePatient('p3', 'Moreau'));
    await wa.replication.awaitInSync();
    await sleep(300);
    expect(await docOf(wb, 'p3')).toBeUndefined();
    const resyncsBefore = wb.streamEvents.filter((e) => e === 'resync').length;
    await wb.connectStream();
    await waitFor(async () => (await docOf(wb, 'p3'))?.birthName === 'Moreau', 'missed change after RESYNC');
    expect(wb.streamEvents.filter((e) => e === 'resync').length).toBe(resyncsBefore + 1);
  });

  it('fans out across two server instances on one database: a push through A reaches a live client of B', async () => {
    const second = await startTestServer(await database().open());
    servers.push(second);
    const wa = await open(a, server);
    const wb = await open(b, second);
    await wa.replication.awaitInitialReplication();
    await wb.replication.awaitInitialReplication();
    await wa.collection.insert(makePatient('p1', 'Lefèvre'));
    await waitFor(async () => (await docOf(wb, 'p1'))?.birthName === 'Lefèvre', 'change through the other instance');
    expect(wb.streamEvents).toContain('change');
  });

  it('never sends a live change to a workstation that may not see it', async () => {
    const stranger = await signIn(server.services, 'practitioner');
    const wa = await open(a);
    const ws = await open(stranger);
    await wa.replication.awaitInitialReplication();
    await ws.replication.awaitInitialReplication();
    await wa.collection.insert(makePatient('p9', 'Secret'));
    await wa.replication.awaitInSync();
    await sleep(300);
    expect(ws.streamEvents.filter((e) => e === 'change')).toEqual([]);
    expect(await ws.collection.count().exec()).toBe(0);
  });
});
