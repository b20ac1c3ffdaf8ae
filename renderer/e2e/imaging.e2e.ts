/* eslint-disable security/detect-non-literal-fs-filename -- files written into the test's own temp folder; fixtures at their fixed place. */
// Issue 5 §1 and §2 in the UI: a practitioner imports a folder of DICOM files made here
// (with a truncated file and a non-DICOM file among them) into a patient's record,
// confirms the patient, reads the per-file results, then opens the viewer: stack
// scrolling by keys and wheel, window/level by dragging and by preset, a length in mm,
// a file that cannot be displayed, the tag browser. Then the DICOMDIR medium of the
// shared fixtures, whose patients are not this one. A real workstation in browser mode,
// real Chromium at a device pixel ratio of 2 (HiDPI).
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { writeImage, writePart10 } from '../../shared/src/dicom/test-support/writer';
import { chromiumMissing, UNDER_CI } from './support/chromium';
import type { Workstation } from './support/processes';
import { ROOT, startWorkstation, tempDir } from './support/processes';
import { frenchLeftovers, visibleTexts } from './support/french';
import { createVault, navButton, screenshot, setupOffline } from './support/ui';

const missing = chromiumMissing();
test.skip(missing !== undefined, missing ?? '');

test.use({ deviceScaleFactor: 2 });

const PASSPHRASE = 'radiologie ardoise cobalt lanterne';
const PATIENT = { birthName: 'Durand', firstNames: 'Jeanne', birthDate: '14/02/1980', main: 'DURAND Jeanne' };
const DICOMDIR = path.join(ROOT, '../shared/fixtures/dicom/dicomdir');
const SLICES = 12;
const STUDY_UID = '1.2.826.0.1.3680043.10.99.1';
const CT_SERIES = `${STUDY_UID}.1`;
const SR_SERIES = `${STUDY_UID}.2`;
const CINE_SERIES = `${STUDY_UID}.3`;
const CINE_FRAMES = 6;

let data: ReturnType<typeof tempDir>;
let ws: Workstation;
let folder: string;

/** A CT series of 64×64 slices (0.5 mm pixels) in the patient's name, a report without pixels, a truncated slice, a text file. */
function writeStudy(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const identity = { patientName: 'Durand^Jeanne', birthDate: '19800214', sex: 'F', patientId: 'RAD-4471' };
  for (let i = 1; i <= SLICES; i++) {
    const file = writeImage({
      ...identity,
      studyInstanceUid: STUDY_UID,
      seriesInstanceUid: CT_SERIES,
      sopInstanceUid: `${CT_SERIES}.${i}`,
      instanceNumber: i,
      imagePosition: [-16, -16, i * 2.5],
      sliceLocation: i * 2.5,
      rows: 64,
      columns: 64,
      pixelSpacing: [0.5, 0.5],
      studyDescription: 'Scanner thoracique',
      seriesDescription: 'Coupes axiales',
      extra: [
        { tag: 0x00281050, vr: 'DS', value: '1800' },
        { tag: 0x00281051, vr: 'DS', value: '3600' },
      ],
    });
    fs.writeFileSync(path.join(dir, `coupe-${String(i).padStart(2, '0')}.dcm`), file);
  }
  // An instance the viewer cannot display: no pixel data at all (a structured report).
  fs.writeFileSync(
    path.join(dir, 'rapport.dcm'),
    writePart10([
      { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.88.11' },
      { tag: 0x00080018, vr: 'UI', value: `${SR_SERIES}.1` },
      { tag: 0x00080020, vr: 'DA', value: '20240115' },
      { tag: 0x00080060, vr: 'CS', value: 'SR' },
      { tag: 0x0008103e, vr: 'LO', value: 'Compte rendu' },
      { tag: 0x00100010, vr: 'PN', value: identity.patientName },
      { tag: 0x00100020, vr: 'LO', value: identity.patientId },
      { tag: 0x00100030, vr: 'DA', value: identity.birthDate },
      { tag: 0x00100040, vr: 'CS', value: identity.sex },
      { tag: 0x0020000d, vr: 'UI', value: STUDY_UID },
      { tag: 0x0020000e, vr: 'UI', value: SR_SERIES },
      { tag: 0x00200011, vr: 'IS', value: '2' },
      { tag: 0x00200013, vr: 'IS', value: '1' },
    ]),
  );
  fs.writeFileSync(
    path.join(dir, 'coupe-tronquee.dcm'),
    writeImage(
      {
        ...identity,
        studyInstanceUid: STUDY_UID,
        seriesInstanceUid: CT_SERIES,
        sopInstanceUid: `${CT_SERIES}.99`,
      },
      { truncateBy: 20 },
    ).slice(0, 400),
  );
  // A multi-frame instance (an XA run): its frames are the stack, played by cine.
  fs.writeFileSync(
    path.join(dir, 'sequence.dcm'),
    writeImage({
      ...identity,
      studyInstanceUid: STUDY_UID,
      seriesInstanceUid: CINE_SERIES,
      sopInstanceUid: `${CINE_SERIES}.1`,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.12.1',
      modality: 'XA',
      seriesNumber: 3,
      seriesDescription: 'Sequence',
      rows: 32,
      columns: 32,
      frames: CINE_FRAMES,
    }),
  );
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'Compte rendu remis au patient.\n');
}

test.beforeAll(async () => {
  data = tempDir('imaging');
  folder = path.join(data.dir, 'cd-patient');
  writeStudy(folder);
  ws = await startWorkstation({ name: 'imaging', dataDir: path.join(data.dir, 'ws') });
});

test.afterAll(async () => {
  await ws?.stop();
  data?.remove();
});

async function openImportScreen(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Importer des images (CD, clé USB, dossier)…' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Importer des images DICOM' })).toBeVisible();
}

async function startImport(page: Page, target: string): Promise<void> {
  await page.getByLabel('Chemins à importer (un par ligne)').fill(target);
  await page.getByRole('button', { name: 'Lancer l’import' }).click();
}

function viewport(page: Page) {
  return page.getByRole('application', { name: /^Image \d+ sur \d+$/ });
}

test('import a folder with a broken file, confirm the patient, then view, scroll, window and measure', async ({
  page,
}) => {
  await page.goto(ws.url);
  await createVault(page, PASSPHRASE);
  await setupOffline(page, { displayName: 'Dr Ingrid Solberg', rpps: '10000000009' });
  await expect(page.getByRole('heading', { level: 1, name: 'Patients' })).toBeVisible();

  await page.keyboard.press('Alt+n');
  await expect(page.getByRole('heading', { level: 1, name: 'Nouveau patient' })).toBeVisible();
  await page.getByLabel('Nom de naissance').fill(PATIENT.birthName);
  await page.getByLabel('Prénoms de naissance').fill(PATIENT.firstNames);
  await page.getByLabel('Date de naissance').fill(PATIENT.birthDate);
  await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('heading', { level: 1, name: PATIENT.main })).toBeVisible();

  // The imaging tab, reached with the keyboard from the first tab.
  await page.getByRole('tab', { name: 'Dossier médical' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Imagerie' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Imagerie' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('Aucun examen d’imagerie dans ce dossier.')).toBeVisible();

  await openImportScreen(page);
  // Nothing typed: said at the field, nothing started.
  await page.getByRole('button', { name: 'Lancer l’import' }).click();
  await expect(page.getByText('Indiquez au moins un fichier ou dossier à importer.')).toBeVisible();
  await startImport(page, folder);

  // Name and birth date agree: the user confirms before anything is attached.
  const decision = page.getByRole('article').filter({ hasText: 'Scanner thoracique' });
  await expect(decision).toContainText('L’examen est au nom de');
  await expect(decision).toContainText('confirmez qu’il s’agit bien de ce patient');
  await expect(page.getByRole('status').filter({ hasText: 'En attente de votre décision' })).toBeVisible();
  await screenshot(page, 'imaging-import-confirm-fr');
  await decision.getByRole('button', { name: `Confirmer : c’est bien ${PATIENT.main}` }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Import terminé.' })).toBeVisible({
    timeout: 60_000,
  });

  // Per-file results: the broken file and the text file say why, in French; the rest is in.
  const files = page.getByRole('table', { name: 'Résultat par fichier' });
  const broken = files
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'coupe-tronquee.dcm' }) });
  await expect(broken).toContainText('Échec');
  await expect(broken).toContainText(/tronqué|incomplètes|illisible/);
  const text = files.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'notes.txt' }) });
  await expect(text).toContainText('Ignoré');
  await expect(text).toContainText('Ce fichier n’est pas un fichier DICOM : il a été ignoré.');
  await expect(
    files.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Importé', exact: true }) }),
  ).toHaveCount(SLICES + 2);
  await expect(
    page.getByText(`${SLICES + 2} importé(s), 0 déjà présent(s), 1 en échec, 1 ignoré(s).`),
  ).toBeVisible();
  // The progress bar ends full.
  await expect(page.getByRole('progressbar')).toHaveAttribute('value', '1');
  await screenshot(page, 'imaging-import-results-fr');

  await page.getByRole('button', { name: 'Retour aux examens' }).click();
  const studies = page.getByRole('list', { name: 'Examens d’imagerie' });
  await expect(studies).toContainText('Scanner thoracique');
  await expect(studies).toContainText(`${SLICES} images`);
  await studies.getByRole('button', { name: /^Ouvrir CT · série 1/ }).click();

  // ---- viewer
  const vp = viewport(page);
  await expect(vp).toBeVisible();
  await expect(page.getByTestId('overlay-image')).toContainText(`Image 1 / ${SLICES}`);
  await expect(vp).toHaveAttribute('data-window-width', '3600', { timeout: 30_000 });
  await expect(vp).toHaveAttribute('data-window-center', '1800');
  await expect(vp).toContainText('Durand');
  // HiDPI: the canvas has one pixel per device pixel.
  const sizes = await vp.evaluate((el) => {
    const canvas = el.querySelector('canvas');
    return { css: el.clientWidth, cssH: el.clientHeight, px: canvas?.width ?? 0, pxH: canvas?.height ?? 0 };
  });
  expect(sizes.px).toBe(Math.round(sizes.css * 2));
  expect(sizes.pxH).toBe(Math.round(sizes.cssH * 2));

  // Stack: keys then the wheel.
  await vp.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('overlay-image')).toContainText(`Image 4 / ${SLICES}`);
  await expect(page.getByTestId('overlay-image')).toContainText('Instance 4');
  const box = await vp.boundingBox();
  if (!box) throw new Error('no viewport box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 100);
  await expect(page.getByTestId('overlay-image')).toContainText(`Image 5 / ${SLICES}`);
  await page.keyboard.press('End');
  await expect(page.getByTestId('overlay-image')).toContainText(`Image ${SLICES} / ${SLICES}`);
  await page.keyboard.press('Home');
  await expect(page.getByTestId('overlay-image')).toContainText(`Image 1 / ${SLICES}`);

  // Window/level by dragging (right widens, down raises the centre), once image 1 is drawn.
  await expect(vp).toHaveAttribute('data-shown-index', '0');
  const at = await vp.boundingBox();
  if (!at) throw new Error('no viewport box');
  const cx = at.x + at.width / 2;
  const cy = at.y + at.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 60, cy + 30, { steps: 5 });
  await page.mouse.up();
  // The overlay follows the render after the last move: read it once it no longer changes.
  const settled = async (name: string): Promise<number> => {
    let last = await vp.getAttribute(name);
    for (;;) {
      await page.waitForTimeout(300);
      const now = await vp.getAttribute(name);
      if (now === last) return Number(now);
      last = now;
    }
  };
  await expect.poll(async () => Number(await vp.getAttribute('data-window-width'))).toBeGreaterThan(3600);
  const ww = await settled('data-window-width');
  const wc = await settled('data-window-center');
  expect(ww).toBeGreaterThan(3600);
  expect(wc).toBeGreaterThan(1800);
  // The window stays while scrolling.
  await vp.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('overlay-image')).toContainText(`Image 2 / ${SLICES}`);
  await expect(vp).toHaveAttribute('data-window-width', String(ww));
  // Presets by key and by the list; the file's window back.
  await page.keyboard.press('2');
  await expect(vp).toHaveAttribute('data-window-width', '1500');
  await expect(vp).toHaveAttribute('data-window-center', '-600');
  await page.getByLabel('Fenêtre', { exact: true }).selectOption({ label: 'Os (L 2500 / C 480)' });
  await expect(vp).toHaveAttribute('data-window-width', '2500');
  await vp.focus();
  await page.keyboard.press('f');
  await expect(vp).toHaveAttribute('data-window-width', '3600');
  await page.keyboard.press('i');
  await expect(page.getByRole('button', { name: 'Inverser' })).toHaveAttribute('aria-pressed', 'true');

  // Length: 100 CSS pixels across a 64-pixel image fitted to the viewport's height.
  await page.keyboard.press('l');
  await expect(page.getByRole('button', { name: 'Mesurer' })).toHaveAttribute('aria-pressed', 'true');
  await page.mouse.move(cx - 50, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 50, cy, { steps: 5 });
  await page.mouse.up();
  const lengths = page.getByRole('list', { name: 'Mesures de l’image' });
  await expect(lengths.getByRole('listitem')).toHaveCount(1);
  const label = (await lengths.getByRole('listitem').first().textContent()) ?? '';
  const mm = Number(/^([\d\s ]+,\d) mm$/.exec(label)?.[1]?.replace(',', '.').replace(/\s/g, ''));
  // 64 image pixels over the viewport height (css), 0.5 mm each: 100 css px = 100 × 32 / height mm.
  const expected = (100 * 64 * 0.5) / sizes.cssH;
  expect(mm).toBeGreaterThan(expected * 0.9);
  expect(mm).toBeLessThan(expected * 1.1);
  await screenshot(page, 'imaging-viewer-fr');

  // Tag browser, searched.
  await page.keyboard.press('t');
  const tags = page.getByRole('dialog', { name: 'Balises DICOM de l’image' });
  await expect(tags).toBeVisible();
  await tags.getByLabel('Rechercher une balise (numéro, nom ou valeur)').fill('pixel spacing');
  await expect(tags.getByRole('row').filter({ hasText: '(0028,0030)' })).toContainText('0.5');
  await screenshot(page, 'imaging-tags-fr');
  // (Escape in the search field first empties it, as in any search field.)
  await tags.getByRole('button', { name: 'Fermer' }).click();
  await expect(tags).toHaveCount(0);
  await expect(vp).toBeFocused();

  // Zoom, flip and reset by key: the overlay and the toolbar follow.
  const zoomOf = async (): Promise<number> =>
    Number(/Zoom (\d+)/.exec((await page.getByTestId('overlay-view').textContent()) ?? '')?.[1] ?? 'NaN');
  const zoom0 = await zoomOf();
  await vp.focus();
  await page.keyboard.press('+');
  await expect.poll(zoomOf).toBeGreaterThan(zoom0);
  await page.keyboard.press('h');
  await expect(page.getByRole('button', { name: 'Miroir H' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('r');
  await page.keyboard.press('0');
  await expect(page.getByRole('button', { name: 'Miroir H' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('button', { name: 'Inverser' })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(zoomOf).toBe(zoom0);
  await expect(vp).toHaveAttribute('data-window-width', '3600');
  await expect(page.getByRole('list', { name: 'Mesures de l’image' })).toHaveCount(0);

  // A series that cannot be displayed: a clear message in the viewport, the viewer still works.
  await page
    .getByRole('navigation', { name: 'Séries de l’examen' })
    .getByRole('button', { name: /^SR/ })
    .click();
  await expect(vp.getByRole('alert')).toBeVisible();
  await expect(vp.getByRole('alert')).not.toBeEmpty();
  await screenshot(page, 'imaging-viewer-error-fr');
  await page
    .getByRole('navigation', { name: 'Séries de l’examen' })
    .getByRole('button', { name: /^CT/ })
    .click();
  await expect(vp.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('overlay-image')).toContainText(`Image 1 / ${SLICES}`);

  // Cine plays through the series.
  await page.getByLabel('Images/s').fill('30');
  await vp.focus();
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(page.getByTestId('overlay-image')).not.toContainText('Image 1 /', { timeout: 5_000 });
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: 'Lire le ciné' })).toBeVisible();

  // A multi-frame instance: its frames are the stack, and cine plays them.
  await page
    .getByRole('navigation', { name: 'Séries de l’examen' })
    .getByRole('button', { name: /^XA/ })
    .click();
  const frameOverlay = page.getByTestId('overlay-image');
  await expect(frameOverlay).toContainText(`Image 1 / ${CINE_FRAMES}`);
  await expect(frameOverlay).toContainText(`Trame 1 / ${CINE_FRAMES}`);
  await vp.focus();
  await page.keyboard.press('End');
  await expect(frameOverlay).toContainText(`Trame ${CINE_FRAMES} / ${CINE_FRAMES}`);
  await expect(vp.getByRole('alert')).toHaveCount(0);
  await page.keyboard.press('p');
  await expect(frameOverlay).not.toContainText(`Trame ${CINE_FRAMES} /`, { timeout: 5_000 });
  await page.keyboard.press('p');
  await screenshot(page, 'imaging-viewer-multiframe-fr');

  // The viewer's keys are in the shortcut help.
  await page.keyboard.press('F1');
  const help = page.getByRole('dialog', { name: 'Raccourcis clavier' });
  await expect(help).toContainText('Visionneuse d’images');
  await expect(help).toContainText('Outil mesure de longueur');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Fermer la visionneuse' }).click();
  await expect(page.getByRole('list', { name: 'Examens d’imagerie' })).toBeVisible();

  // ---- the DICOMDIR medium: its patients are other people; nothing is attached without a person.
  if (!fs.existsSync(path.join(DICOMDIR, 'DICOMDIR'))) {
    if (UNDER_CI)
      throw new Error(`DICOMDIR fixture missing at ${DICOMDIR} (CI=true: failing instead of skipping)`);
    test.info().annotations.push({
      type: 'skip',
      description: `DICOMDIR fixture missing at ${DICOMDIR}: that part skipped`,
    });
  } else {
    await openImportScreen(page);
    await startImport(page, path.join(DICOMDIR, 'DICOMDIR'));
    const mismatches = page.getByRole('article');
    await expect(mismatches.first()).toContainText('qui ne correspond pas au patient du dossier', {
      timeout: 60_000,
    });
    const count = await mismatches.count();
    expect(count).toBeGreaterThan(0);
    // Attaching needs the explicit check first.
    const attach = mismatches.first().getByRole('button', { name: `Ajouter au dossier de ${PATIENT.main}` });
    await expect(attach).toBeDisabled();
    await screenshot(page, 'imaging-import-dicomdir-mismatch-fr');
    const checked = mismatches
      .first()
      .getByRole('checkbox', { name: `J’ai vérifié : ces images sont bien celles de ${PATIENT.main}` });
    await checked.check();
    await expect(attach).toBeEnabled();
    await checked.uncheck();
    await expect(attach).toBeDisabled();
    // Another patient can be chosen by search; Escape leaves the choice without attaching.
    await mismatches.first().getByRole('button', { name: 'Choisir un autre patient…' }).click();
    const search = mismatches.first().getByRole('searchbox', { name: 'Rechercher le patient de cet examen' });
    await expect(search).toBeFocused();
    await search.fill('durand');
    await expect(
      mismatches
        .first()
        .getByRole('button', { name: `Rattacher à ${PATIENT.main}, né(e) le ${PATIENT.birthDate}` }),
    ).toBeVisible();
    await search.press('Escape');
    await expect(search).toHaveCount(0);
    await expect(page.getByRole('article')).toHaveCount(count);
    // The first study set aside, then the import cancelled while the others wait: nothing of them is added.
    await mismatches.first().getByRole('button', { name: 'Écarter cet examen' }).click();
    await expect(page.getByRole('article')).toHaveCount(count - 1);
    const table = page.getByRole('table', { name: 'Résultat par fichier' });
    const rowsWith = (status: string) =>
      table.getByRole('row').filter({ has: page.getByRole('cell', { name: status, exact: true }) });
    if (count > 1) {
      await page.getByRole('button', { name: 'Annuler l’import' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Import annulé' })).toBeVisible();
      await expect(page.getByRole('article')).toHaveCount(0);
      await expect(rowsWith('Annulé').first()).toBeVisible();
    } else {
      await expect(page.getByRole('status').filter({ hasText: 'Import terminé.' })).toBeVisible({
        timeout: 60_000,
      });
    }
    await expect(rowsWith('Écarté').first()).toBeVisible();
    await screenshot(page, 'imaging-import-dicomdir-cancelled-fr');
    await page.getByRole('button', { name: 'Retour aux examens' }).click();
    await expect(
      page
        .getByRole('list', { name: 'Examens d’imagerie' })
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { level: 3 }) }),
    ).toHaveCount(1);
  }

  // ---- in German: the imaging screens have no French left (the files' own texts aside).
  await navButton(page, 'Réglages').click();
  await page.getByLabel('Langue').selectOption({ label: 'Allemand' });
  await expect(page.getByRole('heading', { level: 1, name: 'Einstellungen' })).toBeVisible();
  await navButton(page, 'Patienten').click();
  const search = page.getByRole('combobox', { name: 'Patient suchen' });
  await search.fill('durand');
  await expect(
    page.getByRole('listbox', { name: 'Suchergebnisse' }).getByRole('option').first(),
  ).toContainText(PATIENT.main);
  await search.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: PATIENT.main })).toBeVisible();
  await page.getByRole('tab', { name: 'Bildgebung' }).click();
  await page.getByRole('button', { name: /^CT · Serie 1 .*öffnen$/ }).click();
  await expect(page.getByTestId('overlay-image')).toContainText(`Bild 1 / ${SLICES}`);
  await expect(page.getByTestId('overlay-view')).toContainText('B 3.600 / Z 1.800');
  await screenshot(page, 'imaging-viewer-de');
  // Study and series descriptions come from the files (French here), not from the UI.
  const fromFiles = ['Scanner thoracique', 'Coupes axiales', 'Compte rendu'];
  const leftovers = (text: string) =>
    frenchLeftovers(
      text
        .split('\n')
        .filter((l) => !fromFiles.some((f) => l.includes(f)))
        .join('\n'),
    );
  expect(leftovers(await visibleTexts(page))).toEqual([]);
  await page.getByRole('button', { name: 'Betrachter schließen' }).click();
  await page.getByRole('button', { name: 'Bilder importieren (CD, USB-Stick, Ordner)…' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'DICOM-Bilder importieren' })).toBeVisible();
  expect(leftovers(await visibleTexts(page))).toEqual([]);
});
