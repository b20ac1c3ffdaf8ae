import { afterEach, describe, expect, it } from 'vitest';
import type { FaultProxy } from './fault-proxy';
import { startFaultProxy } from './fault-proxy';
import { serverUnavailable } from './test-server';
import { PASSWORD, useSyncServer } from './test-suite';
import type { TestWorkstation } from './test-workstation';
import { eventually, newPatient, openTestWorkstation, statusWhere } from './test-workstation';

const unavailable = serverUnavailable();
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(unavailable);
if (unavailable !== undefined) console.warn(`replication fault tests skipped: ${unavailable}`);

/** Network faults of one push, injected by the fault proxy between a workstation and the real server. */
describe.skipIf(unavailable !== undefined)('replication client behind a faulty network', () => {
  const t = useSyncServer();
  const opened: { ws: TestWorkstation; proxy: FaultProxy }[] = [];
  afterEach(async () => {
    for (const { ws, proxy } of opened.splice(0)) {
      await ws.close();
      await proxy.close();
    }
  });

  const proxied = async (backoff?: { baseMs: number; maxMs: number }): Promise<{ ws: TestWorkstation; proxy: FaultProxy }> => {
    const proxy = await startFaultProxy(t.server.url);
    const workstationId = await t.admin.registerWorkstation(t.nextName('poste-faute-'));
    const ws = await openTestWorkstation({
      serverUrl: proxy.url,
      workstationId,
      username: 'secretaire',
      password: PASSWORD,
      ...(backoff ? { backoff } : {}),
    });
    opened.push({ ws, proxy });
    await statusWhere(ws, (s) => s.connection === 'online');
    return { ws, proxy };
  };

  it('a push reset by the network, with the live stream still open, goes back online once a push succeeds', async () => {
    const { ws, proxy } = await proxied();
    const other = await t.workstation();
    proxy.arm('drop-request');
    const p = newPatient('RESET');
    await ws.insert('patient', p);
    const failed = await statusWhere(ws, (s) => s.error?.code === 'SYNC_CLIENT_OFFLINE');
    expect(proxy.applied).toEqual(['drop-request']);
    expect(failed.connection).toBe('offline');
    // The retry succeeds and the stream never closed: nothing else will say "online".
    const healed = await statusWhere(ws, (s) => s.pendingChanges === 0 && s.error === undefined && s.lastSyncAt !== undefined && s.connection !== 'offline', 5_000);
    expect(healed.connection).toBe('online');
    expect(await t.patientOn(other, p.id, (d) => d !== null)).not.toBeNull();
  }, 30_000);

  it('"sync now" sends offline changes at once when the network is back, without waiting out a long backoff', async () => {
    // Retries 15 to 60 s apart: without an early wake the change would wait at least 7.5 s.
    const { ws, proxy } = await proxied({ baseMs: 15_000, maxMs: 60_000 });
    const other = await t.workstation();
    proxy.setOnline(false);
    await statusWhere(ws, (s) => s.connection === 'offline');
    const p = newPatient('MAINTENANT');
    await ws.insert('patient', p);
    await statusWhere(ws, (s) => s.pendingChanges === 1 && s.connection === 'offline');
    // Let the push fail at least once, so it is waiting out its backoff.
    await new Promise((r) => setTimeout(r, 1_000));
    proxy.setOnline(true);
    const started = Date.now();
    await ws.reSync();
    const synced = await statusWhere(ws, (s) => s.pendingChanges === 0 && s.connection === 'online', 6_000);
    expect(synced.error).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(await t.patientOn(other, p.id, (d) => d !== null)).not.toBeNull();
  }, 40_000);

  it('a creation the server committed but never acknowledged, retried after another user edited then deleted it, loses no edit', async () => {
    const { ws: a, proxy } = await proxied();
    const s = await t.workstation();
    const p = newPatient('RETRY');
    // A's push lands, its answer is lost and A's network stays down: A knows nothing of it.
    proxy.arm('drop-response-cut');
    await a.insert('patient', p);
    await t.patientOn(s, p.id, (d) => d !== null);
    expect(proxy.applied).toEqual(['drop-response-cut']);
    expect(proxy.online).toBe(false);

    await s.patch('patient', p.id, { usedFirstName: 'Hélène', updatedAt: new Date().toISOString() });
    await s.awaitInSync();
    await s.remove('patient', p.id);
    await s.awaitInSync();

    // A pushes its creation again with no assumed server state.
    proxy.setOnline(true);
    await statusWhere(a, (st) => st.connection === 'online' && st.pendingChanges === 0);
    await a.awaitInSync();
    const conflicts = await eventually(
      () => a.conflicts(),
      (c) => c.length > 0,
    );
    expect(conflicts.map((c) => [c.documentId, c.path, c.localValue, c.serverValue])).toEqual([[p.id, '_deleted', 'false', 'true']]);
    // The deletion waits for a person; the secretary's edit is not replaced by A's old version.
    const onServer = await t.patientOn(s, p.id, (d) => d?.usedFirstName === 'Hélène');
    expect(onServer?.usedFirstName).toBe('Hélène');
    expect((await t.patientOn(a, p.id, (d) => d?.usedFirstName === 'Hélène'))?.usedFirstName).toBe('Hélène');

    // A person chooses the deletion (the server's side): the document is deleted everywhere.
    await a.resolve(conflicts[0]?.id as string, 'server');
    await a.awaitInSync();
    expect(await t.patientOn(s, p.id, (d) => d === null)).toBeNull();
    await statusWhere(a, (st) => st.unresolvedConflicts === 0);
  }, 30_000);
});
