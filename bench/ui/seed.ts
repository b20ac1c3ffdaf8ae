// A workstation data folder as a practitioner would have it after months of work: a vault
// (the product's Argon2id cost, so unlock is timed as users meet it), a local practitioner
// profile, and `n` patients written straight into the encrypted store.
import path from 'node:path';
import { computeNirKey, luhnCheckDigit } from '../../shared/src/identifiers';
import type { Patient } from '../../shared/src/schemas';
import { patientSearchKeys } from '../../shared/src/schemas';
import { openWorkstationStore } from '../../main/src/db/workstation-store';
import { createHost, HOST_FILES } from '../../main/src/host';
import { unlockVault } from '../../main/src/vault';

const FIRST_F = ['Hélène', 'Zoé', 'Chloé', 'Inès', 'Léa', 'Anaïs', 'Maëlle', 'Noémie', 'Célia', 'Agnès'];
const FIRST_M = ['Jean', 'Émile', 'Louis', 'Hugo', 'Noël', 'Jérôme', 'François', 'Gaël', 'Loïc', 'Mathéo'];
const LAST = [
  'Martin',
  'Bernard',
  'Müller',
  'Lefèvre',
  'Dubois',
  'Durand',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Garçon',
  'Rousseau',
  'Fournier',
  'Girard',
  'Bonnet',
  'Dupré',
  'Lambert',
  'Fontaine',
  'Chevalier',
  'Bœuf',
];

export const BENCH_RPPS = `1000000000${luhnCheckDigit('1000000000')}`;

/** Deterministic patients: accented names, one in three with a NIR matching sex and birth. */
export function benchPatients(n: number, now = Date.now()): Patient[] {
  const stamp = new Date(now).toISOString();
  const out: Patient[] = [];
  for (let i = 0; i < n; i++) {
    const sex = i % 2 === 0 ? ('F' as const) : ('M' as const);
    const year = 1930 + (i % 90);
    const month = 1 + (i % 12);
    const day = 1 + (i % 28);
    const first = (sex === 'F' ? FIRST_F : FIRST_M)[Math.floor(i / 2) % 10] as string;
    const base = {
      id: `bench-${String(i).padStart(6, '0')}`,
      birthName: `${LAST[i % LAST.length] as string}${i % 7 === 0 ? '' : `-${Math.floor(i / 20)}`}`,
      firstNames: [first],
      birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      sex,
      identityStatus: 'PROV' as const,
      contact: {
        addressLines: [],
        phones: [{ kind: 'mobile' as const, number: `06 ${String(10_000_000 + i).slice(0, 8)}` }],
      },
      createdAt: stamp,
      updatedAt: stamp,
    };
    const nir13 = `${sex === 'F' ? 2 : 1}${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}75056${String(100 + (i % 900)).padStart(3, '0')}`;
    const withNir = i % 3 === 0 ? { nir: `${nir13}${String(computeNirKey(nir13)).padStart(2, '0')}` } : {};
    out.push({ ...base, ...withNir, ...patientSearchKeys(base) } as Patient);
  }
  return out;
}

/** Creates the vault and profile through the host (as setup does), then bulk-inserts the patients. */
export async function seedWorkstation(options: {
  readonly dataDir: string;
  readonly passphrase: string;
  readonly patients: number;
}): Promise<void> {
  const host = createHost({ dataDir: options.dataDir, mode: 'browser', defaultLocale: 'fr-FR' });
  try {
    for (const [channel, request] of [
      ['vault:create', { passphrase: options.passphrase }],
      ['profile:setup-offline', { displayName: 'Dr Bench Mesure', rpps: BENCH_RPPS }],
    ] as const) {
      const envelope = await host.dispatch(channel, request);
      if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code}`);
    }
  } finally {
    await host.close();
  }
  const vault = await unlockVault(path.join(options.dataDir, HOST_FILES.vault), options.passphrase);
  try {
    const store = await openWorkstationStore(vault);
    try {
      const docs = benchPatients(options.patients);
      for (let i = 0; i < docs.length; i += 1000) {
        const result = await store.db.patient.bulkInsert(docs.slice(i, i + 1000));
        if (result.error.length > 0) throw new Error(`seeding refused ${result.error.length} patients`);
      }
    } finally {
      await store.close();
    }
  } finally {
    await vault.lock();
  }
}
