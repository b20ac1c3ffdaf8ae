// Issue 6 §2 (erasure): a DPO records a patient's erasure request on their own workstation;
// while the legal retention runs it is refused, and the screen shows the legal basis
// (GDPR Art. 17(3)(b) and (c), and the retention rule of the Public Health Code).
import { expect, test } from '@playwright/test';
import { patientSearchKeys } from '../../shared/src/schemas/search-key';
import { chromiumMissing } from './support/chromium';
import type { SyncServer, Workstation } from './support/processes';
import { createServerUser, registerWorkstation, serverCli, startSyncServer, startWorkstation, tempDir } from './support/processes';
import { createVault, loginToServer, navButton, screenshot } from './support/ui';

const missing = chromiumMissing();
test.skip(missing !== undefined, missing ?? '');

const PASSPHRASE = 'registre ardoise hérisson boussole';
const DPO = { username: 'dpo.rights', password: 'journal des accès 2026', displayName: 'Claire Martin' };
const DOCTOR = { username: 'dr.rights', password: 'consultation du matin 2026', role: 'practitioner' as const, displayName: 'Dr Rights', rpps: '10000000015' };

let serverData: ReturnType<typeof tempDir>;
let wsData: ReturnType<typeof tempDir>;
let server: SyncServer;
let ws: Workstation;
let workstationId: string;
const patientId = 'e2e-rights-patient-1';

test.beforeAll(async () => {
  serverData = tempDir('rights-server');
  wsData = tempDir('rights-ws');
  await serverCli(serverData.dir, ['user', 'create', DPO.username, '--role', 'dpo', '--display-name', DPO.displayName], `${DPO.password}\n`);
  await createServerUser(serverData.dir, DOCTOR);
  workstationId = await registerWorkstation(serverData.dir, 'dpo-office');
  const doctorWs = await registerWorkstation(serverData.dir, 'cabinet');
  server = await startSyncServer(serverData.dir);
  // The practitioner's workstation writes the record (through the replication API, as it would).
  const login = await fetch(new URL('/v1/auth/login', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: DOCTOR.username, password: DOCTOR.password, workstationId: doctorWs }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const now = new Date().toISOString();
  const names = { birthName: 'Lefebvre', firstNames: ['Jeanne'] };
  const patient = {
    id: patientId,
    ...names,
    ...patientSearchKeys(names),
    birthDate: '1975-04-02',
    sex: 'F',
    identityStatus: 'PROV',
    contact: { addressLines: [], phones: [] },
    createdAt: now,
    updatedAt: now,
    _deleted: false,
  };
  const pushed = await fetch(new URL('/v1/replication/patient/push', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ rows: [{ assumedMasterState: null, newDocumentState: patient }] }),
  });
  expect(await pushed.json()).toEqual({ conflicts: [], rejected: [] });
  ws = await startWorkstation({ name: 'dpo-rights', dataDir: wsData.dir, syncUrl: server.url, workstationId });
});

test.afterAll(async () => {
  await ws?.stop();
  await server?.stop();
  wsData?.remove();
  serverData?.remove();
});

test('the DPO records an erasure request: refused while the retention runs, with the legal basis shown', async ({ page }) => {
  await page.goto(ws.url);
  await createVault(page, PASSPHRASE);
  await loginToServer(page, { workstationId, username: DPO.username, password: DPO.password });
  await expect(page.getByRole('heading', { level: 1, name: 'Journal d’audit' })).toBeVisible({ timeout: 60_000 });

  await navButton(page, 'Droits des patients').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Droits des patients (RGPD)' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Enregistrer une demande d’effacement' });
  await form.getByLabel('Identifiant du dossier').fill(patientId);
  await form.getByRole('combobox').selectOption({ label: 'Le patient' });
  await form.getByLabel('Nom du demandeur').fill('Jeanne Lefebvre');
  await form.getByRole('button', { name: 'Enregistrer la demande' }).click();

  const decision = page.getByTestId('erasure-decision');
  await expect(decision).toHaveAttribute('data-status', 'refused');
  await expect(decision.getByRole('heading', { name: 'Effacement refusé' })).toBeVisible();
  await expect(decision).toContainText('Le patient : Jeanne Lefebvre');
  await expect(decision).toContainText('20 ans après l’ouverture du dossier (aucune consultation)');
  const basis = decision.getByRole('region', { name: 'Fondement juridique du refus' });
  await expect(basis.locator('[data-basis="17(3)(b)"]')).toContainText('Article 17, paragraphe 3, point b) du RGPD');
  await expect(basis.locator('[data-basis="17(3)(c)"]')).toContainText('motifs d’intérêt public dans le domaine de la santé publique');
  await expect(basis).toContainText('Code de la santé publique, article R.1112-7');
  // The request is on record, the record is not erased.
  await expect(page.getByTestId('erasure-requests')).toContainText(patientId);
  await expect(page.getByTestId('erasure-requests')).toContainText('Art. 17(3)(b), Art. 17(3)(c)');
  await screenshot(page, 'rights-erasure-refused-fr');
});
