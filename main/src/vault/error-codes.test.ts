/* eslint-disable security/detect-non-literal-fs-filename -- reads this folder's own sources */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, LANGUAGES } from '../../../shared/src/errors';

const here = path.dirname(fileURLToPath(import.meta.url));
const sources = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => fs.readFileSync(path.join(here, f), 'utf8'))
  .join('\n');

/** Every code the vault can raise, as written in its sources: AppError('X' …), err('X' …), rethrowAs('X' …), wrapFailure('X' …). */
const raised = [...sources.matchAll(/(?:AppError|err|rethrowAs|wrapFailure)\(\s*'([A-Z][A-Z0-9_]+)'/g)].map(
  (m) => m[1] as string,
);

describe('vault error codes', () => {
  it('finds the codes it checks (the scan itself works)', () => {
    expect(raised).toContain('VAULT_WRONG_PASSPHRASE');
    expect(raised).toContain('VAULT_BACKUP_CORRUPT');
  });

  it.each([...new Set(raised)].sort())('%s has fr/de/en messages with the same placeholders', (code) => {
    const messages = (ERROR_MESSAGES as Record<string, Record<string, string>>)[code];
    expect(messages, `${code} is missing from the catalogue`).toBeDefined();
    const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    const fr = placeholders(messages?.fr ?? '');
    for (const language of LANGUAGES) {
      expect(messages?.[language]?.length ?? 0).toBeGreaterThan(10);
      expect(placeholders(messages?.[language] ?? '')).toEqual(fr);
    }
  });
});
