/* eslint-disable security/detect-non-literal-fs-filename -- the settings file path is computed by the host from its data folder */
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../../../shared/src/api';
import { DEFAULT_SETTINGS, SettingsSchema } from '../../../shared/src/api';
import { AppError } from '../../../shared/src/errors';
import type { SettingsLocks } from '../platform/policy';
import { writeFileAtomic } from '../vault/atomic-file';

export const SETTINGS_FILE = 'settings.json';

export type SettingsService = {
  /** The stored settings; APP_SETTINGS_CORRUPT when the file is not valid settings JSON. */
  get(): Settings;
  /** The settings in force: the defaults where the file is missing or corrupt. */
  effective(): Settings;
  /** Merges, validates and writes atomically; returns the new settings. */
  set(patch: Partial<Settings>): Settings;
  onChange(listener: (settings: Settings) => void): () => void;
  /** Settings fixed by the IT policy (names), and the languages it allows (undefined: all). */
  locked(): { readonly fields: readonly (keyof Settings)[]; readonly allowedLanguages: readonly Settings['language'][] | undefined };
};

/**
 * Settings of the workstation (language, lock delay, sync server, workstation id): not
 * secret, so a plain JSON file of the data folder that IT may also write. Validated on
 * every read: a hand-edited file that is wrong gives a clear code, never a crash or a
 * half-applied setting.
 */
export function createSettingsService(options: {
  readonly dataDir: string;
  readonly defaults?: Partial<Settings>;
  /** The IT policy's locks (platform/policy.ts): they win over the file and cannot be set. */
  readonly locks?: SettingsLocks;
}): SettingsService {
  const file = path.join(options.dataDir, SETTINGS_FILE);
  const lockedValues = options.locks?.values ?? {};
  const allowed = options.locks?.allowedLanguages;
  const defaults: Settings = enforce({ ...DEFAULT_SETTINGS, ...options.defaults });
  const listeners = new Set<(s: Settings) => void>();

  // Policy values replace whatever the file or the defaults say; a language the policy does
  // not allow falls back to its first allowed one.
  function enforce(s: Settings): Settings {
    const language = allowed && !allowed.includes(s.language) ? (allowed[0] ?? s.language) : s.language;
    return { ...s, ...lockedValues, language };
  }

  const read = (): Settings => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return defaults;
      throw new AppError('APP_SETTINGS_CORRUPT', { file: SETTINGS_FILE }, { cause });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new AppError('APP_SETTINGS_CORRUPT', { file: SETTINGS_FILE }, { cause });
    }
    // Fields missing from an older or hand-written file take their defaults; wrong ones are refused.
    const parsed = SettingsSchema.safeParse(typeof json === 'object' && json !== null && !Array.isArray(json) ? { ...defaults, ...json } : json);
    if (!parsed.success) throw new AppError('APP_SETTINGS_CORRUPT', { file: SETTINGS_FILE });
    return enforce(parsed.data);
  };

  const effective = (): Settings => {
    try {
      return read();
    } catch {
      return defaults;
    }
  };

  return {
    get: read,
    effective,
    set(patch) {
      for (const [field, value] of Object.entries(patch) as [keyof Settings, unknown][]) {
        if (field in lockedValues && lockedValues[field as keyof typeof lockedValues] !== value) {
          throw new AppError('APP_SETTING_SET_BY_POLICY', { field });
        }
      }
      if (patch.language !== undefined && allowed && !allowed.includes(patch.language)) {
        throw new AppError('APP_SETTING_SET_BY_POLICY', { field: 'language' });
      }
      const next = enforce(SettingsSchema.parse({ ...effective(), ...patch }));
      try {
        fs.mkdirSync(options.dataDir, { recursive: true });
        writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, 0o600);
      } catch (cause) {
        throw new AppError('APP_SETTINGS_WRITE_FAILED', undefined, { cause });
      }
      for (const l of listeners) l(next);
      return next;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    locked() {
      return { fields: Object.keys(lockedValues) as (keyof Settings)[], allowedLanguages: allowed };
    },
  };
}
