/* eslint-disable security/detect-non-literal-fs-filename -- screenshots go to the folder the README names. */
// What a user does on the French screens, by roles and labels (as a screen reader would
// find them), with the keyboard where the UI offers a shortcut.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { SCREENSHOTS_DIR } from './processes';

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/** The sync status bar, always at the bottom of the unlocked app. */
export function syncBar(page: Page): Locator {
  return page.getByRole('contentinfo');
}

export async function createVault(page: Page, passphrase: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Première mise en route' })).toBeVisible();
  await page.getByLabel('Phrase secrète', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirmer la phrase secrète').fill(passphrase);
  await page.getByRole('button', { name: 'Créer le coffre' }).click();
  await expect(page.getByRole('heading', { name: 'Qui travaille sur ce poste ?' })).toBeVisible({
    timeout: 60_000,
  });
}

export async function loginToServer(
  page: Page,
  account: { readonly workstationId: string; readonly username: string; readonly password: string },
): Promise<void> {
  await page.getByRole('radio', { name: 'Se connecter au serveur du cabinet' }).check();
  await expect(page.getByLabel('Adresse du serveur')).not.toHaveValue('');
  await page.getByLabel('Identifiant du poste').fill(account.workstationId);
  await page.getByLabel('Identifiant', { exact: true }).fill(account.username);
  await page.getByLabel('Mot de passe').fill(account.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

export async function setupOffline(
  page: Page,
  profile: { readonly displayName: string; readonly rpps: string },
): Promise<void> {
  await page.getByRole('radio', { name: 'Travailler hors ligne pour l’instant' }).check();
  await page.getByLabel('Nom et prénom').fill(profile.displayName);
  await page.getByLabel('Numéro RPPS').fill(profile.rpps);
  await page.getByRole('button', { name: 'Commencer' }).click();
}

export async function unlock(page: Page, passphrase: string): Promise<void> {
  await page.getByLabel('Phrase secrète', { exact: true }).fill(passphrase);
  await page.keyboard.press('Enter');
}

export function navButton(page: Page, name: string): Locator {
  // The app's one navigation landmark ("Navigation principale", "Hauptnavigation"…).
  return page.getByRole('navigation').getByRole('button', { name, exact: true });
}

/** Waits until the workstation is online with nothing left to send. */
export async function expectSynced(page: Page, timeout = 60_000): Promise<void> {
  await expect(syncBar(page).getByRole('status')).toContainText('En ligne', { timeout });
  await expect(syncBar(page).getByRole('status')).toContainText('0 modification en attente d’envoi', {
    timeout,
  });
}

/** Opens a patient's record from the list, by search and keyboard as a user would. */
export async function openPatient(page: Page, query: string, name: RegExp): Promise<void> {
  await navButton(page, 'Patients').click();
  const search = page.getByRole('combobox', { name: 'Rechercher un patient' });
  await search.fill(query);
  await expect(
    page.getByRole('listbox', { name: 'Résultats de la recherche' }).getByRole('option').first(),
  ).toContainText(name);
  await search.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

export async function showIdentityTab(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Identité' }).click();
  return page.getByRole('tabpanel');
}

/** Changes the first phone number from the record's "edit identity" form; saves with Ctrl+S. */
export async function changePhone(page: Page, number: string): Promise<void> {
  await page.getByRole('button', { name: 'Modifier l’identité' }).click();
  const phone = page.getByLabel('Téléphone 1', { exact: true });
  await expect(phone).not.toHaveValue('');
  await phone.fill(number);
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('status').filter({ hasText: /^Identité de .+ enregistrée\.$/ })).toBeVisible();
}
