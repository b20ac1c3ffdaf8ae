/* eslint-disable security/detect-non-literal-fs-filename -- the settings file path is computed by the host from its data folder */
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../../../shared/src/api';
import { DEFAULT_SETTINGS, SettingsSchema } from '../../../shared/src/api';
import { AppError } from '../../../shared/src/errors';
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
};

/**
 * Settings of the workstation (language, lock delay, sync server, workstation id): not
 * secret, so a plain JSON file of the data folder that IT may also write. Validated on
 * every read: a hand-edited file that is wrong gives a clear code, never a crash or a
 * half-applied setting.
 */
export function createSettingsService(options: { readonly dataDir: string; readonly defaults?: Partial<Settings> }): SettingsService {
  const file = path.join(options.dataDir, SETTINGS_FILE);
  const defaults: Settings = { ...DEFAULT_SETTINGS, ...options.defaults };
  const listeners = new Set<(s: Settings) => void>();

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
    return parsed.data;
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
      const next = SettingsSchema.parse({ ...effective(), ...patch });
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
  };
}
