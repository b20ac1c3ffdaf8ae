/* eslint-disable security/detect-non-literal-fs-filename -- the file is the one the operator names on the command line */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { AppError } from '../../../shared/src/errors';
import type { Language } from '../../../shared/src/errors';
import { createAuditLog } from '../audit/audit-log';
import { createAccessService } from '../access/access-service';
import { CLI_ACTOR } from '../auth/auth-service';
import type { ServerConfig } from '../config';
import type { Engine } from '../db/engine';
import type { Clock } from '../types';
import { SERVER_VERSION } from '../app';
import { renderServerRegister } from '../rights/register';
import { createRightsService, rightsConfigFromEnv } from '../rights/rights-service';

export const RIGHTS_USAGE = `Patients' rights (GDPR):
  rights register [--language fr|de|en] [--out <file.md>]
        the register of processing activities (Art. 30) as Markdown, from this server's
        configuration (storage, retention rules and policy, roles and user counts)
  rights expired
        lists the records whose legal retention has expired (patient id, kept until, rule)
  rights purge-expired --yes
        erases those records now (as the retention job does with RETENTION_POLICY=purge), audited
Retention settings (environment): RETENTION_RULES (JSON, e.g. {"yearsAfterLastEncounter":20,
  "untilAge":28,"yearsAfterDeath":10,"deathWithinYears":10}), RETENTION_POLICY (list|purge,
  default list), RETENTION_INTERVAL_MS (default one day); CLINIC_NAME and DPO_CONTACT for the register.`;

export type RightsCommandContext = {
  readonly engine: Engine;
  readonly config: ServerConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Writable;
  readonly clock?: Clock;
};

const usage = (detail: string) => new AppError('RIGHTS_CLI_USAGE', { detail });

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw usage(`--${name} needs a value`);
  return value;
}

export async function runRightsCommand(argv: readonly string[], ctx: RightsCommandContext): Promise<number> {
  const [, sub, ...args] = argv;
  const clock = ctx.clock ?? Date.now;
  const rightsConfig = rightsConfigFromEnv(ctx.env);
  const audit = createAuditLog({ engine: ctx.engine, clock });
  const access = createAccessService({ engine: ctx.engine, audit, clock });
  const rights = createRightsService({ engine: ctx.engine, audit, clock, access, config: rightsConfig });
  switch (sub) {
    case 'register': {
      const language = (option(args, 'language') ?? 'fr') as Language;
      if (!['fr', 'de', 'en'].includes(language)) throw usage('--language fr|de|en');
      const markdown = await renderServerRegister(
        ctx.engine,
        ctx.config,
        rightsConfig,
        { version: SERVER_VERSION, now: new Date(clock()), env: ctx.env },
        language,
      );
      const out = option(args, 'out');
      if (out) {
        fs.writeFileSync(out, markdown);
        ctx.stdout.write(`Register written to ${out}\n`);
      } else ctx.stdout.write(markdown);
      return 0;
    }
    case 'expired': {
      const expired = await rights.listExpired();
      for (const e of expired) ctx.stdout.write(`${e.patientId}\t${e.retention.keptUntil}\t${e.retention.basis}\n`);
      ctx.stdout.write(`${expired.length} record(s) past retention\n`);
      return 0;
    }
    case 'purge-expired': {
      if (!args.includes('--yes')) throw usage('purge-expired erases records: add --yes');
      const result = await rights.runRetention(CLI_ACTOR, 'purge');
      ctx.stdout.write(`${result.erased} record(s) erased of ${result.expired} past retention\n`);
      return 0;
    }
    default:
      throw usage(`rights ${sub ?? ''}`.trim());
  }
}
