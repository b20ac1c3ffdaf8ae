/* eslint-disable security/detect-non-literal-fs-filename -- files Playwright downloaded for the test */
// Issue 6 §1 and §3: a practitioner sees who consulted a record and merges a likely
// duplicate (then undoes it); the DPO verifies the chain, checks the signed checkpoint,
// reviews a break-the-glass access and exports the log as CSV (a download in browser mode).
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { chromiumMissing } from './support/chromium';
import type { SyncServer, Workstation } from './support/processes';
import { createServerUser, registerWorkstation, serverCli, startSyncServer, startWorkstation, tempDir } from './support/processes';
import { createVault, expectSynced, loginToServer, navButton, screenshot } from './support/ui';

const missing = chromiumMissing();
test.skip(missing !== undefined, missing ?? '');

const PASSPHRASE = 'registre ardoise hérisson boussole';
const DR = { username: 'dr.vidal', password: 'consultation du matin 2026', displayName: 'Dr Paul Vidal', rpps: '10000000009', role: 'practitioner' as const };
const URGENCE = { username: 'dr.urgence', password: 'garde de nuit aux urgences', displayName: 'Dr Inès Garde', rpps: '10000000017', role: 'practitioner' as const };
const DPO = { username: 'dpo.martin', password: 'journal des accès 2026', displayName: 'Claire Martin' };

let serverData: ReturnType<typeof tempDir>;
let wsData: ReturnType<typeof tempDir>;
let server: SyncServer;
let ws: Workstation;
let dpoWs: Workstation;
let workstationId: string;
let dpoWorkstationId: string;
let dpoData: ReturnType<typeof tempDir>;

test.beforeAll(async () => {
  serverData = tempDir('vigilance-server');
  wsData = tempDir('vigilance-ws');
  await createServerUser(serverData.dir, DR);
  await createServerUser(serverData.dir, URGENCE);
  await serverCli(serverData.dir, ['user', 'create', DPO.username, '--role', 'dpo', '--display-name', DPO.displayName], `${DPO.password}\n`);
  dpoData = tempDir('vigilance-dpo');
  workstationId = await registerWorkstation(serverData.dir, 'cabinet');
  dpoWorkstationId = await registerWorkstation(serverData.dir, 'bureau-dpo');
  server = await startSyncServer(serverData.dir);
  ws = await startWorkstation({ name: 'vigilance', dataDir: wsData.dir, syncUrl: server.url, workstationId });
  dpoWs = await startWorkstation({ name: 'vigilance-dpo', dataDir: dpoData.dir, syncUrl: server.url, workstationId: dpoWorkstationId });
});

test.afterAll(async () => {
  await ws?.stop();
  await dpoWs?.stop();
  await server?.stop();
  dpoData?.remove();
  wsData?.remove();
  serverData?.remove();
});

async function newPatient(page: Page): Promise<void> {
  await navButton(page, 'Patients').click();
  await page.keyboard.press('Alt+n');
  await expect(page.getByRole('heading', { level: 1, name: 'Nouveau patient' })).toBeVisible();
  await page.getByLabel('Nom de naissance').fill('Lambert');
  await page.getByLabel('Prénoms de naissance').fill('Odile');
  await page.getByLabel('Date de naissance').fill('12/04/1961');
  await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
  await page.keyboard.press('Control+s');
  // The form asks for a second save when its duplicate check has answered in time (the second patient).
  const saved = page.getByRole('heading', { level: 1, name: 'LAMBERT Odile' });
  const confirm = page.getByText('Vérifiez qu’il s’agit bien d’une autre personne', { exact: false });
  await expect(saved.or(confirm)).toBeVisible();
  if (await confirm.isVisible()) await page.keyboard.press('Control+s');
  await expect(saved).toBeVisible();
}

test('who accessed a record, duplicates merged and unmerged, then the DPO view: chain, checkpoint, break-the-glass review, CSV', async ({ page }) => {
  await page.goto(ws.url);
  await createVault(page, PASSPHRASE);
  await loginToServer(page, { workstationId, username: DR.username, password: DR.password });
  await expect(page.getByRole('heading', { level: 1, name: 'Patients' })).toBeVisible({ timeout: 60_000 });

  await newPatient(page);
  await newPatient(page);
  await expectSynced(page);

  // Who consulted this record: the practitioner, from the central log.
  await page.getByRole('tab', { name: 'Accès au dossier' }).click();
  await expect(page.getByRole('heading', { name: 'Qui a consulté ce dossier' })).toBeVisible();
  await expect(page.getByTestId('who-accessed')).toContainText(DR.displayName, { timeout: 30_000 });
  await screenshot(page, 'who-accessed-fr');

  // The two identities are flagged; the practitioner merges them, then undoes it.
  await navButton(page, 'Doublons').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Doublons probables' })).toBeVisible();
  const group = page.getByTestId('duplicate-group');
  await expect(group).toHaveCount(1);
  await expect(group).toContainText('Mêmes traits d’identité');
  await group.getByLabel('Motif de la fusion (facultatif)').fill('Créé deux fois à l’accueil');
  await screenshot(page, 'duplicates-fr');
  await group.getByRole('button', { name: 'Fusionner' }).click();
  await expect(page.getByText('Fusion effectuée.')).toBeVisible();
  await expect(page.getByText('Aucun doublon probable.')).toBeVisible({ timeout: 30_000 });
  const merge = page.getByTestId('merge');
  await expect(merge).toHaveCount(1);
  await merge.getByRole('button', { name: 'Annuler la fusion' }).click();
  await expect(page.getByText('Fusion annulée', { exact: false })).toBeVisible();
  await expect(merge).toContainText('Annulée le');
  await expect(page.getByTestId('duplicate-group')).toHaveCount(1, { timeout: 30_000 });

  // Another practitioner opens one of them in an emergency (through the server's API, as their workstation would).
  const login = await fetch(new URL('/v1/auth/login', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: URGENCE.username, password: URGENCE.password, workstationId }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const patientId = (await page.getByTestId('duplicate-group').locator('.mono').first().textContent())?.trim() ?? '';
  const opened = await fetch(new URL('/v1/access/break-glass', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ patientId, reason: 'Patiente inconsciente amenée par le SAMU' }),
  });
  expect(opened.status).toBe(200);

  // The DPO, on their own workstation.
  await page.goto(dpoWs.url);
  await createVault(page, PASSPHRASE);
  await loginToServer(page, { workstationId: dpoWorkstationId, username: DPO.username, password: DPO.password });
  await expect(page.getByRole('heading', { level: 1, name: 'Journal d’audit' })).toBeVisible({ timeout: 60_000 });

  await page.getByRole('button', { name: 'Vérifier la chaîne' }).click();
  await expect(page.getByTestId('chain-status')).toContainText('Chaîne intacte');
  await page.getByRole('button', { name: 'Dernier point de contrôle signé' }).click();
  await expect(page.getByTestId('checkpoint')).toContainText('Valide');

  const entry = page.getByTestId('break-glass-entry');
  await expect(entry).toContainText('Patiente inconsciente amenée par le SAMU');
  await entry.getByRole('button', { name: 'Marquer comme revu' }).click();
  await expect(entry.getByText('Un commentaire est obligatoire.')).toBeVisible();
  await entry.getByLabel('Commentaire de revue').fill('Justifié : urgence vitale');
  await entry.getByRole('button', { name: 'Marquer comme revu' }).click();
  await expect(page.getByText('Aucun accès en urgence dans cette liste.')).toBeVisible();
  await screenshot(page, 'audit-dpo-integrity-fr');

  const today = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short' }).format(new Date());
  await page.getByLabel('Début de l’export').fill(today);
  await page.getByLabel('Fin de l’export (incluse)').fill(today);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exporter en CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
  const csv = fs.readFileSync((await download.path()) ?? '', 'utf8');
  expect(csv).toContain('break_glass');
  expect(csv).toContain(patientId);
});
