// Issue 4 §2 (a DPO sees the audit views only) and issue 6 §1 (search the central audit
// log): a DPO signs in on a workstation of their own and reads the sync server's log.
import { expect, test } from '@playwright/test';
import { chromiumMissing } from './support/chromium';
import type { SyncServer, Workstation } from './support/processes';
import { registerWorkstation, serverCli, startSyncServer, startWorkstation, tempDir } from './support/processes';
import { frenchLeftovers, visibleTexts } from './support/french';
import { createVault, loginToServer, navButton, screenshot } from './support/ui';

const missing = chromiumMissing();
test.skip(missing !== undefined, missing ?? '');

const PASSPHRASE = 'registre ardoise hérisson boussole';
const DPO = { username: 'dpo.martin', password: 'journal des accès 2026', displayName: 'Claire Martin' };

let serverData: ReturnType<typeof tempDir>;
let wsData: ReturnType<typeof tempDir>;
let server: SyncServer;
let ws: Workstation;
let workstationId: string;

test.beforeAll(async () => {
  serverData = tempDir('audit-server');
  wsData = tempDir('audit-ws');
  await serverCli(serverData.dir, ['user', 'create', DPO.username, '--role', 'dpo', '--display-name', DPO.displayName], `${DPO.password}\n`);
  workstationId = await registerWorkstation(serverData.dir, 'dpo-office');
  server = await startSyncServer(serverData.dir);
  ws = await startWorkstation({ name: 'dpo', dataDir: wsData.dir, syncUrl: server.url, workstationId });
});

test.afterAll(async () => {
  await ws?.stop();
  await server?.stop();
  wsData?.remove();
  serverData?.remove();
});

test('a DPO sees the audit log only: their sign-in is in it, filters check their dates, emergency accesses can be listed, older entries page by page', async ({
  page,
}) => {
  await page.goto(ws.url);
  await createVault(page, PASSPHRASE);
  await loginToServer(page, { workstationId, username: DPO.username, password: DPO.password });

  await expect(page.getByRole('heading', { level: 1, name: 'Journal d’audit' })).toBeVisible({ timeout: 60_000 });
  // No patient screens for this role.
  await expect(navButton(page, 'Patients')).toHaveCount(0);
  await expect(navButton(page, 'Audit')).toBeVisible();

  const table = page.getByRole('table', { name: 'Entrées du journal d’audit, des plus récentes aux plus anciennes' });
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Date et heure (Paris)' })).toBeVisible();
  // The log names users by their server id; the role and the action are in the UI language.
  const signIn = table.getByRole('row').filter({ hasText: 'Connexion' }).filter({ hasText: 'DPO' });
  await expect(signIn.first()).toBeVisible();
  await expect(signIn.first()).toContainText('Réussi');
  await expect(page.getByRole('status').filter({ hasText: /entrées? affichées?/ })).toBeVisible();
  await screenshot(page, 'audit-fr');

  // A period that ends before it starts is refused at the field, before any call.
  await page.getByLabel('Du', { exact: true }).fill('02/03/2026');
  await page.getByLabel('Au (inclus)').fill('01/03/2026');
  await page.keyboard.press('Enter');
  await expect(page.getByText('La fin de la période ne peut pas précéder son début.')).toBeVisible();
  await expect(page.getByLabel('Au (inclus)')).toHaveAttribute('aria-invalid', 'true');

  // Today, in Paris: the sign-in is there.
  const today = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short' }).format(new Date());
  await page.getByLabel('Du', { exact: true }).fill(today);
  await page.getByLabel('Au (inclus)').fill(today);
  await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Connexion' });
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.getByText('La fin de la période ne peut pas précéder son début.')).toHaveCount(0);
  await expect(signIn.first()).toBeVisible();

  // No emergency access was recorded on this server.
  await page.getByRole('button', { name: 'Accès d’urgence à revoir' }).click();
  await expect(page.getByLabel('Action', { exact: true })).toHaveValue('break_glass');
  await expect(page.getByText('Aucune entrée ne correspond à ces filtres.')).toBeVisible();
  await expect(table).toHaveCount(0);

  await page.getByRole('button', { name: 'Effacer les filtres' }).click();
  await expect(page.getByLabel('Du', { exact: true })).toHaveValue('');
  await expect(signIn.first()).toBeVisible();

  // Paging: every search the DPO makes is itself in the log, so searching again fills it
  // past one page (50 entries); older entries then come page by page, down to the first.
  const older = page.getByRole('button', { name: 'Afficher les entrées plus anciennes' });
  const count = page.getByRole('status').filter({ hasText: /entrées? affichées?/ });
  for (let i = 0; i < 60 && !(await older.isVisible()); i++) {
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page.getByRole('button', { name: 'Rechercher' })).toBeEnabled();
  }
  await expect(count).toHaveText('50 entrées affichées.');
  const total = Number((await table.getByRole('row').nth(1).getByRole('rowheader').textContent()) ?? '0');
  expect(total).toBeGreaterThan(50);
  await older.focus();
  await page.keyboard.press('Enter');
  await expect(count).toHaveText(`${total} entrées affichées.`);
  // The last page: the button goes, focus lands on the count instead of the page's top.
  await expect(older).toHaveCount(0);
  await expect(count).toBeFocused();
  await expect(table.getByRole('row').last().getByRole('rowheader')).toHaveText('1');

  // In German, with a field error shown: no French left on the view.
  await navButton(page, 'Réglages').click();
  await page.getByLabel('Langue').selectOption({ label: 'Allemand' });
  await expect(page.getByRole('heading', { level: 1, name: 'Einstellungen' })).toBeVisible();
  await navButton(page, 'Audit').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit-Protokoll' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Einträge des Audit-Protokolls, die neuesten zuerst' })).toBeVisible();
  await page.getByLabel('Von', { exact: true }).fill('31.02.2026');
  await page.getByRole('button', { name: 'Suchen' }).click();
  await expect(page.getByText('Ungültiges Datum: Geben Sie TT.MM.JJJJ ein.')).toBeVisible();
  await screenshot(page, 'audit-de');
  expect(frenchLeftovers(await visibleTexts(page))).toEqual([]);
});
