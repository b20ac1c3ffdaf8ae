import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/src/errors';
import type { AuditEvent } from '../../../shared/src/schemas';
import type { WorkstationStore } from '../db/workstation-store';
import { openWorkstationStore } from '../db/workstation-store';
import { createRightsGate, RIGHTS_STATE_ID } from '../sync/rights-gate';
import { syncCollectionsOf } from '../sync/sync-collections';
import type { UnlockedVault } from '../vault';
import { createVault } from '../vault';
import { FAST } from '../vault/test-support';
import type { Actor } from './context';
import { RESTRICTED_READ_REASON } from './access';
import type { Services } from './services';
import { createServices } from './services';
import { luhnCheckDigit } from '../../../shared/src/identifiers';
import type { PatientDraft } from '../../../shared/src/api';

const RPPS = `1000000000${luhnCheckDigit('1000000000')}`;

let parent: string;
let vault: UnlockedVault;
let store: WorkstationStore;
let services: Services;
const clock = { now: () => Date.parse('2026-03-02T09:00:00.000Z') };
const actor: Actor = { userId: 'u-doc', role: 'practitioner', displayName: 'Dr Martin', rpps: RPPS, workstationId: 'ws-1' };

beforeAll(async () => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-rights-'));
  vault = await createVault(path.join(parent, 'vault'), 'cheval agrafe pile correcte', FAST);
  store = await openWorkstationStore(vault);
});

afterAll(async () => {
  services?.close();
  await vault?.lock();
  fs.rmSync(parent, { recursive: true, force: true });
});

const audits = async (patientId: string): Promise<AuditEvent[]> =>
  (await store.db.audit_event.find({ selector: { patientId } }).exec()).map((d) => d.toJSON() as unknown as AuditEvent);

describe('restriction enforced on the workstation (GDPR Art. 18)', () => {
  it('refuses writes with RIGHTS_PATIENT_RESTRICTED, flags reads, from the stored server list, until lifted', async () => {
    const gate = createRightsGate(syncCollectionsOf(store.db));
    services = createServices({ db: store.db, clock, actor: () => actor, restricted: (id) => gate.isRestricted(id) });
    const draft: PatientDraft = {
      birthName: 'Dupont',
      firstNames: ['Hélène'],
      birthDate: '1984-12-03',
      sex: 'F',
      identityStatus: 'PROV',
      contact: { addressLines: [], phones: [] },
    };
    const saved = await services.patients.save(draft);
    const moved: PatientDraft = { ...draft, id: saved.patient.id, contact: { addressLines: ['1 rue Neuve'], phones: [] } } as PatientDraft;
    const id = saved.patient.id;
    await gate.apply({ restricted: [{ patientId: id, since: '2026-03-02T08:00:00.000Z' }] });

    // A second gate reading the vault (a restart, offline) enforces the same list.
    const reopened = createRightsGate(syncCollectionsOf(store.db));
    await reopened.load();
    expect(reopened.isRestricted(id)).toBe(true);
    expect(JSON.parse((await store.db.collections.sync_state.findOne(RIGHTS_STATE_ID).exec())?.value ?? '{}')).toEqual({
      restricted: [{ patientId: id, since: '2026-03-02T08:00:00.000Z' }],
    });

    const before = await store.db.patient.findOne(id).exec();
    const error = await services.patients
      .save(moved, saved.patient.updatedAt)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('RIGHTS_PATIENT_RESTRICTED');
    expect((await store.db.patient.findOne(id).exec())?.toJSON()).toEqual(before?.toJSON());

    const read = await services.patients.get(id);
    expect(read.patient.birthName).toBe('Dupont');
    const events = await audits(id);
    expect(events.filter((e) => e.outcome === 'denied')).toEqual([
      expect.objectContaining({ action: 'update', reason: RESTRICTED_READ_REASON }),
    ]);
    expect(events.filter((e) => e.action === 'read').at(-1)).toMatchObject({ outcome: 'success', reason: RESTRICTED_READ_REASON });

    await gate.apply({ restricted: [] });
    await services.patients.save(moved, saved.patient.updatedAt);
    expect((await store.db.patient.findOne(id).exec())?.toJSON().contact.addressLines).toEqual(['1 rue Neuve']);
  });
});
