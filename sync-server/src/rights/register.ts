import type { Language } from '../../../shared/src/errors/app-error';
import type { RegisterFacts } from '../../../shared/src/rgpd/register';
import { renderRegister } from '../../../shared/src/rgpd/register';
import { COLLECTIONS, COLLECTION_NAMES } from '../../../shared/src/schemas';
import type { Queryable } from '../db/engine';
import type { ServerConfig } from '../config';
import { DEFAULT_BREAK_GLASS_TTL_MS } from '../access/access-service';
import { DEFAULT_CHECKPOINT_INTERVAL_MS } from '../audit/checkpoints';
import type { RightsConfig } from './rights-service';

/** Where the server's data are, without credentials: the PostgreSQL host and database, or the SQLite folder. */
export function storageLocation(
  kind: Queryable['kind'],
  config: Pick<ServerConfig, 'databaseUrl' | 'databaseSchema' | 'dataDir'>,
): RegisterFacts['storage'] {
  if (kind === 'postgres') {
    if (!config.databaseUrl) return { engine: 'postgres', location: `schema ${config.databaseSchema}` };
    try {
      const url = new URL(config.databaseUrl);
      return { engine: 'postgres', location: `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname} (schema ${config.databaseSchema})` };
    } catch {
      return { engine: 'postgres', location: `DATABASE_URL (schema ${config.databaseSchema})` };
    }
  }
  return { engine: 'sqlite', location: `${config.dataDir}/sync.sqlite` };
}

/** The facts of the register read from the running configuration and database (user counts by role). */
export async function registerFacts(
  q: Queryable,
  config: Pick<ServerConfig, 'databaseUrl' | 'databaseSchema' | 'dataDir'>,
  rights: RightsConfig,
  meta: { readonly version: string; readonly now: Date; readonly env?: Readonly<Record<string, string | undefined>> },
): Promise<RegisterFacts> {
  const counts = await q.query<{ role: string; n: number | string }>(
    'SELECT role, COUNT(*) AS n FROM users WHERE disabled_at IS NULL GROUP BY role',
  );
  return {
    generatedAt: meta.now.toISOString().slice(0, 19).replace('T', ' '),
    serverVersion: meta.version,
    controller: meta.env?.CLINIC_NAME || undefined,
    dpoContact: meta.env?.DPO_CONTACT || undefined,
    storage: storageLocation(q.kind, config),
    retention: rights.rules,
    retentionPolicy: rights.policy,
    collections: COLLECTION_NAMES.map((name) => ({ name, dataClass: COLLECTIONS[name].dataClass })),
    users: Object.fromEntries(counts.map((c) => [c.role, Number(c.n)])),
    breakGlassHours: DEFAULT_BREAK_GLASS_TTL_MS / 3_600_000,
    auditCheckpointMinutes: DEFAULT_CHECKPOINT_INTERVAL_MS / 60_000,
  };
}

export async function renderServerRegister(
  q: Queryable,
  config: Pick<ServerConfig, 'databaseUrl' | 'databaseSchema' | 'dataDir'>,
  rights: RightsConfig,
  meta: { readonly version: string; readonly now: Date; readonly env?: Readonly<Record<string, string | undefined>> },
  language: Language,
): Promise<string> {
  return renderRegister(await registerFacts(q, config, rights, meta), language);
}
