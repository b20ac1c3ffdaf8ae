/* eslint-disable security/detect-non-literal-fs-filename -- temp folders made by the test. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Patient } from '../../../shared/src/schemas';
import { COLLECTION_NAMES, PatientSchema, patientSearchKeys } from '../../../shared/src/schemas';
import { createVault, unlockVault } from '../vault';
import { FAST } from '../vault/test-support';
import { openWorkstationStore } from './workstation-store';

const PASSPHRASE = 'correct horse battery staple 42';
const dirs: string[] = [];
const vaults: { lock(): Promise<void> }[] = [];
afterEach(async () => {
  for (const v of vaults.splice(0)) await v.lock();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempVaultDir(): string {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'clinic-store-'));
  dirs.push(parent);
  return path.join(parent, 'vault');
}

function patient(marker: string): Patient {
  const now = new Date().toISOString();
  const base = {
    id: randomUUID(),
    birthName: `DUPONT-${marker}`,
    firstNames: ['Hélène', 'Marie'],
    birthDate: '1984-12-03',
    sex: 'F' as const,
    nir: '284127645108993',
    identityStatus: 'PROV' as const,
    contact: { addressLines: ['12 rue des Lilas'], postalCode: '76000', city: 'Rouen', country: 'FR', phones: [] },
    createdAt: now,
    updatedAt: now,
  };
  return PatientSchema.parse({ ...base, ...patientSearchKeys(base) });
}

describe('workstation store: vault → storage worker → RxDB', () => {
  it('opens every collection of the registry on the encrypted store, and keeps data across lock and unlock', async () => {
    const dir = tempVaultDir();
    const vault = await createVault(dir, PASSPHRASE, FAST);
    vaults.push(vault);
    const store = await openWorkstationStore(vault);
    expect(Object.keys(store.db.collections).sort()).toEqual([...COLLECTION_NAMES, 'sync_conflict', 'sync_state'].sort());

    const marker = `MARQUEUR${randomUUID().replace(/-/g, '').toUpperCase()}`;
    const p = patient(marker);
    await store.db.patient.insert(p);
    const found = await store.db.patient.find({ selector: { searchKey: { $regex: '^dupont' } } }).exec();
    expect(found.map((d) => d.id)).toEqual([p.id]);

    await vault.lock();
    expect(store.db.closed).toBe(true);
    expect(vault.isLocked).toBe(true);

    // Nothing of the record is readable in any file of the vault, WAL and SHM included.
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(path.join(dir, name));
      expect(bytes.includes(Buffer.from(marker, 'utf8')), `${name} holds the marker in clear`).toBe(false);
      expect(bytes.includes(Buffer.from('Hélène', 'utf8')), `${name} holds a first name in clear`).toBe(false);
    }

    const again = await unlockVault(dir, PASSPHRASE);
    vaults.push(again);
    const reopened = await openWorkstationStore(again);
    const doc = await reopened.db.patient.findOne(p.id).exec();
    expect(doc?.toJSON()).toMatchObject({ birthName: p.birthName, firstNames: ['Hélène', 'Marie'], nir: p.nir });
    await again.lock();
  });

  it('closes idempotently, refuses writes once closed, and lets the same vault open a new store', async () => {
    const dir = tempVaultDir();
    const vault = await createVault(dir, PASSPHRASE, FAST);
    vaults.push(vault);
    const store = await openWorkstationStore(vault);
    const patients = store.db.patient;
    await store.close();
    await store.close();
    await expect(patients.insert(patient('X'))).rejects.toThrow(/COL21/) // RxDB: collection closed;
    const second = await openWorkstationStore(vault);
    await second.db.patient.insert(patient('Y'));
    expect(await second.db.patient.count().exec()).toBe(1);
    await vault.lock();
  });
});
