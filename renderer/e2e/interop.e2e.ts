// Issue 6 §2 and §4, the main path in the UI: a practitioner imports an identity (ADT^A28)
// and lab results (ORU^R01) pasted on the HL7 screen, an unmatched message waits in the
// quarantine list and is rejected with a reason, then the record is exported as a FHIR
// Bundle and as the PDF summary (browser mode: downloads).
/* eslint-disable security/detect-non-literal-fs-filename -- files Playwright downloaded for this test */
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { chromiumMissing } from './support/chromium';
import type { Workstation } from './support/processes';
import { startWorkstation, tempDir } from './support/processes';
import { createVault, navButton, openPatient, screenshot, setupOffline } from './support/ui';

const missing = chromiumMissing();
test.skip(missing !== undefined, missing ?? '');

const PASSPHRASE = 'laboratoire ardoise hérisson boussole';
const NIR = '269054958815780';
const ADT = [
  'MSH|^~\\&|GAM|HOPITAL|CLINIQUE|CAB|20240315083000||ADT^A28^ADT_A05|A1|P|2.5|||||FRA|UNICODE UTF-8',
  'EVN||20240315083000',
  `PID|1||H42^^^HOPITAL^PI~${NIR}^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||LEFÈVRE^Hélène^Hélène Zoé^^^^L||19690512|F`,
  'PV1|1|N',
].join('\n');
const ORU = (pid: string, control: string) =>
  [
    `MSH|^~\\&|LABO|BIOMED|CLINIQUE|CAB|20240315083000||ORU^R01^ORU_R01|${control}|P|2.5|||||FRA|UNICODE UTF-8`,
    pid,
    'OBR|1|CMD42|LAB-42|24331-1^Bilan lipidique^LN|||20240314073000',
    'OBX|1|NM|2093-3^Cholestérol total^LN||5.2|mmol/L|3.5-6.5|N|||F',
    'OBX|2|NM|2571-8^Triglycérides^LN||2.3|mmol/L|<1.7|H|||F',
  ].join('\n');

let data: ReturnType<typeof tempDir>;
let ws: Workstation;

test.beforeAll(async () => {
  data = tempDir('interop-ws');
  ws = await startWorkstation({ name: 'interop', dataDir: data.dir });
});

test.afterAll(async () => {
  await ws?.stop();
  data?.remove();
});

test('HL7 import with quarantine, then FHIR and PDF exports of the record', async ({ page }) => {
  await page.goto(ws.url);
  await createVault(page, PASSPHRASE);
  await setupOffline(page, { displayName: 'Dr Jeanne Dupré', rpps: '10003456789' });
  await expect(navButton(page, 'HL7')).toBeVisible({ timeout: 60_000 });

  await navButton(page, 'HL7').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Échanges HL7' })).toBeVisible();
  const paste = page.getByLabel('Ou collez un message');
  const results = page.getByRole('list', { name: 'Résultat de l’import' });

  await paste.fill(ADT);
  await page.getByRole('button', { name: 'Importer', exact: true }).click();
  await expect(results).toContainText('Identité créée (statut provisoire).');

  await paste.fill(
    ORU(
      `PID|1||${NIR}^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||LEFÈVRE^Hélène^^^^^L||19690512|F`,
      'R1',
    ),
  );
  await page.getByRole('button', { name: 'Importer', exact: true }).click();
  await expect(results).toContainText('2 résultats enregistrés dans le dossier du patient.');

  await paste.fill(ORU('PID|1||X9^^^BIOMED^PI||INCONNU^Jean^^^^^L||19500101|M', 'R2'));
  await page.getByRole('button', { name: 'Importer', exact: true }).click();
  await expect(results).toContainText('Mis en quarantaine');
  await expect(results).toContainText('Aucun patient ne correspond');

  const item = page.getByTestId('quarantine-item').filter({ hasText: 'INCONNU Jean' });
  await expect(item).toContainText('ORU^R01');
  await expect(item).toContainText('2 résultats');
  await screenshot(page, 'hl7-quarantine-fr');
  await item.getByRole('button', { name: 'Rejeter…' }).click();
  await item.getByLabel('Motif du rejet').fill('Patient inconnu du cabinet, laboratoire prévenu');
  await item.getByRole('button', { name: 'Rejeter le message' }).click();
  await expect(page.getByText('Aucun message en quarantaine.')).toBeVisible();
  await page.getByLabel('Afficher').selectOption('all');
  await expect(page.getByTestId('quarantine-item').filter({ hasText: 'INCONNU Jean' })).toContainText(
    'Rejeté : Patient inconnu du cabinet',
  );

  await openPatient(page, 'lefevre', /LEFÈVRE/);
  await expect(page.getByRole('heading', { level: 2, name: 'Exporter' })).toBeVisible();
  const [bundleDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Dossier complet (FHIR)' }).click(),
  ]);
  const bundle = JSON.parse(fs.readFileSync(await bundleDownload.path(), 'utf8')) as {
    resourceType: string;
    entry: { resource: { resourceType: string } }[];
  };
  expect(bundle.resourceType).toBe('Bundle');
  expect(bundle.entry.filter((e) => e.resource.resourceType === 'Observation')).toHaveLength(2);
  // PROV identity: the INS is not exported.
  expect(JSON.stringify(bundle)).not.toContain(NIR);
  await expect(page.getByRole('status').filter({ hasText: 'téléchargé' })).toBeVisible();

  await page.getByLabel('Langue du résumé').selectOption('de');
  const [pdfDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Résumé lisible (PDF)' }).click(),
  ]);
  expect(pdfDownload.suggestedFilename()).toMatch(/-de\.pdf$/);
  expect(
    fs
      .readFileSync(await pdfDownload.path())
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');
  await screenshot(page, 'record-export-fr');
});
