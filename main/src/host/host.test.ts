import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../shared/src/identifiers';
import { MIN_KDF } from '../vault';
import type { Host } from './host';
import { createHost } from './host';
import type { ManualTimers, Recorded } from './test-support';
import { call, failure, manualTimers, recordEvents, tempDataDir } from './test-support';

const PASSPHRASE = 'cheval agrafe pile correcte';
const RPPS = `1000000000${luhnCheckDigit('1000000000')}`;

let data: { dir: string; cleanup(): void };
let host: Host;
let timers: ManualTimers;
let events: Recorded;
let now = Date.parse('2026-03-02T09:00:00.000Z');

beforeAll(() => {
  data = tempDataDir();
  timers = manualTimers();
  host = createHost({ dataDir: data.dir, mode: 'browser', version: '1.2.3', kdf: MIN_KDF, clock: { now: () => now }, timers });
  events = recordEvents(host);
});

afterAll(async () => {
  await host?.close();
  data?.cleanup();
});

const HELENE = {
  birthName: 'Dupont',
  firstNames: ['Hélène'],
  birthDate: '1984-12-03',
  sex: 'F' as const,
  nir: '284127645108993',
  identityStatus: 'PROV' as const,
  contact: { addressLines: [], phones: [] },
};

describe('host flow on a temp data folder', () => {
  let patientId: string;
  let encounterId: string;

  it('starts with no vault: app info, setup state, locked channels', async () => {
    expect(await call(host, 'app:info', undefined)).toEqual({
      name: 'Clinique',
      version: '1.2.3',
      mode: 'browser',
      defaultLocale: 'fr-FR',
      locales: ['fr-FR', 'de-DE', 'en-GB'],
      timeZone: 'Europe/Paris',
    });
    expect(await call(host, 'setup:state', {})).toMatchObject({ vault: { state: 'absent' }, hasProfile: false, next: 'create-vault', loggedIn: false });
    expect(await failure(host, 'patients:search', { query: '' })).toEqual({ code: 'VAULT_LOCKED' });
    expect(await call(host, 'sync:status', {})).toMatchObject({ connection: 'disabled' });
  });

  it('creates the vault (a weak passphrase is refused with its code), then asks for a profile', async () => {
    expect(await failure(host, 'vault:create', { passphrase: 'court' })).toMatchObject({ code: 'VAULT_PASSPHRASE_TOO_SHORT' });
    const created = await call(host, 'vault:create', { passphrase: PASSPHRASE });
    expect(created.session).toMatchObject({ vault: 'unlocked', profile: null, loggedIn: false, reason: 'created' });
    expect(created.strength.score).toBeGreaterThan(0);
    expect(await call(host, 'setup:state', {})).toMatchObject({ next: 'profile' });
    expect(await failure(host, 'patients:search', { query: '' })).toEqual({ code: 'APP_PROFILE_REQUIRED' });
    expect(await failure(host, 'vault:create', { passphrase: PASSPHRASE })).toEqual({ code: 'APP_VAULT_ALREADY_UNLOCKED' });
  });

  it('sets up the offline profile with a validated RPPS', async () => {
    expect(await failure(host, 'profile:setup-offline', { displayName: 'Dr Martin', rpps: '123' })).toEqual({
      code: 'API_REQUEST_INVALID',
      issues: [{ path: ['rpps'], code: 'RPPS_FORMAT' }],
    });
    const { profile } = await call(host, 'profile:setup-offline', { displayName: 'Dr Martin', rpps: RPPS.replace(/(\d{3})/g, '$1 ') });
    expect(profile).toMatchObject({ displayName: 'Dr Martin', role: 'practitioner', rpps: RPPS, source: 'local' });
    expect(await call(host, 'setup:state', {})).toMatchObject({ next: 'ready', hasProfile: true });
    expect(events.some((e) => e.event === 'session:changed' && (e.payload as { reason: string }).reason === 'profile')).toBe(true);
  });

  it('saves a patient (live validation errors first) and finds it by search', async () => {
    const invalid = await failure(host, 'patients:save', { draft: { ...HELENE, nir: '284127645108994' } });
    expect(invalid).toEqual({ code: 'API_REQUEST_INVALID', issues: [{ path: ['draft', 'nir'], code: 'NIR_KEY' }] });
    const saved = await call(host, 'patients:save', { draft: HELENE });
    patientId = saved.patient.id;
    expect(saved.duplicates).toEqual([]);
    const found = await call(host, 'patients:search', { query: 'helene' });
    expect(found.rows.map((r) => r.id)).toEqual([patientId]);
    expect((await call(host, 'patients:search', { query: '03/12/1984' })).total).toBe(1);
    const check = await call(host, 'patients:check', { draft: { ...HELENE, firstNames: ['helene'] } });
    expect(check.duplicates).toEqual([{ patient: expect.objectContaining({ id: patientId }), match: 'nir' }]);
    await expect.poll(() => events.some((e) => e.event === 'patients:changed' && (e.payload as { ids: string[] }).ids.includes(patientId))).toBe(true);
  });

  it('writes a consultation, signs it, and shows it in the timeline and the vitals chart', async () => {
    const saved = await call(host, 'encounters:save', {
      draft: { patientId, reason: 'Toux', note: 'Examen normal.', vitals: { weight: 60, systolic: 125, diastolic: 80 } },
    });
    encounterId = saved.encounter.id;
    const entryId = saved.encounter.entries[0]?.id ?? '';
    const signed = await call(host, 'encounters:sign', { encounterId, entryId });
    expect(signed.encounter.entries[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await failure(host, 'encounters:sign', { encounterId, entryId })).toEqual({ code: 'ENCOUNTER_ENTRY_ALREADY_SIGNED' });
    const add = await call(host, 'encounters:addendum', { encounterId, amends: entryId, text: 'Complément.' });
    expect(add.encounter.entries).toHaveLength(2);
    const timeline = await call(host, 'timeline:get', { patientId });
    expect(timeline.items.map((i) => i.kind).sort()).toEqual(['encounter', 'observation', 'observation', 'observation']);
    const vitals = await call(host, 'observations:vitals', { patientId, kinds: ['weight'] });
    expect(vitals.series).toEqual([{ kind: 'weight', loincCode: '29463-7', unit: 'kg', points: [expect.objectContaining({ value: 60 })] }]);
    expect((await call(host, 'encounters:list', { patientId })).encounters.map((e) => e.id)).toEqual([encounterId]);
    await expect.poll(() => events.some((e) => e.event === 'encounters:changed' && (e.payload as { patientIds: string[] }).patientIds.includes(patientId))).toBe(true);
  });

  it('locks and unlocks: data and profile kept, wrong passphrase refused with its code', async () => {
    const locked = await call(host, 'vault:lock', {});
    expect(locked).toMatchObject({ vault: 'locked', profile: null, reason: 'locked' });
    expect(events.at(-2)).toMatchObject({ event: 'session:changed', payload: { vault: 'locked' } });
    expect(await failure(host, 'timeline:get', { patientId })).toEqual({ code: 'VAULT_LOCKED' });
    expect(await call(host, 'setup:state', {})).toMatchObject({ next: 'unlock', hasProfile: true });
    expect(await failure(host, 'vault:unlock', { passphrase: 'pas la bonne phrase' })).toMatchObject({ code: 'VAULT_WRONG_PASSPHRASE' });
    expect(await call(host, 'vault:status', {})).toMatchObject({ state: 'locked', failures: 1 });
    const unlocked = await call(host, 'vault:unlock', { passphrase: PASSPHRASE });
    expect(unlocked).toMatchObject({ vault: 'unlocked', profile: { displayName: 'Dr Martin', rpps: RPPS }, reason: 'unlocked' });
    expect((await call(host, 'patients:search', { query: 'dupont' })).rows.map((r) => r.id)).toEqual([patientId]);
    expect((await call(host, 'timeline:get', { patientId })).items.length).toBe(4);
  });

  it('locks itself after the idle delay; calls and activity:ping postpone it, status reads do not', async () => {
    const settings = await call(host, 'settings:set', { lockDelayMinutes: 2, language: 'de-DE' });
    expect(settings).toMatchObject({ lockDelayMinutes: 2, language: 'de-DE' });
    expect((await call(host, 'app:info', {})).defaultLocale).toBe('de-DE');
    now += 90_000;
    const ping = await call(host, 'activity:ping', {});
    expect(ping.lockAt).toBe(new Date(now + 120_000).toISOString());
    now += 60_000;
    timers.fire();
    expect((await call(host, 'vault:status', {})).state).toBe('unlocked');
    now += 61_000;
    timers.fire();
    await expect.poll(() => events.filter((e) => e.event === 'session:changed').at(-1)?.payload).toMatchObject({ vault: 'locked', reason: 'idle' });
    expect((await call(host, 'vault:status', {})).state).toBe('locked');
    expect((await call(host, 'activity:ping', {})).lockAt).toBeNull();
  });

  it('refuses a corrupt settings file with a clear code, and keeps working on the defaults', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    fs.writeFileSync(path.join(data.dir, 'settings.json'), '{"lockDelayMinutes": "ten"}');
    expect(await failure(host, 'settings:get', {})).toEqual({ code: 'APP_SETTINGS_CORRUPT', params: { file: 'settings.json' } });
    expect((await call(host, 'app:info', {})).defaultLocale).toBe('fr-FR');
    expect((await call(host, 'settings:set', { lockDelayMinutes: 15 })).lockDelayMinutes).toBe(15);
  });

  it('closes: no more calls', async () => {
    await call(host, 'vault:unlock', { passphrase: PASSPHRASE });
    await host.close();
    expect(await failure(host, 'app:info', {})).toEqual({ code: 'APP_CLOSED' });
  });
});
