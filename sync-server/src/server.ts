import path from 'node:path';
import type { DestinationStream } from 'pino';
import type { SyncApp } from './app';
import { buildApp } from './app';
import type { ServerConfig } from './config';
import type { Engine } from './db/engine';
import { migrate } from './db/migrate';
import { openPostgresEngine } from './db/postgres-engine';
import { openSqliteEngine } from './db/sqlite-engine';

export const SQLITE_FILE_NAME = 'sync.sqlite';

/** PostgreSQL when DATABASE_URL is set, else the embedded SQLite file under DATA_DIR; migrated. */
export async function openEngine(config: ServerConfig): Promise<Engine> {
  const engine: Engine = config.databaseUrl
    ? await openPostgresEngine({ connectionString: config.databaseUrl, schema: config.databaseSchema })
    : openSqliteEngine({ file: path.join(config.dataDir, SQLITE_FILE_NAME) });
  try {
    await migrate(engine);
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
  return engine;
}

export type RunningServer = SyncApp & {
  readonly url: string;
  readonly engine: Engine;
  /** Graceful: refuses new requests, ends streams, finishes in-flight ones (up to the grace period), closes the database. */
  stop(): Promise<void>;
};

export async function startServer(config: ServerConfig, options: { logDestination?: DestinationStream } = {}): Promise<RunningServer> {
  const engine = await openEngine(config);
  let built: SyncApp;
  try {
    built = await buildApp({ engine, config, ...(options.logDestination ? { logDestination: options.logDestination } : {}) });
    await built.app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let stopping: Promise<void> | undefined;
  return {
    ...built,
    engine,
    url: `http://${host}:${port}`,
    stop() {
      stopping ??= (async () => {
        const force = setTimeout(() => built.app.server.closeAllConnections(), config.shutdownGraceMs);
        force.unref();
        try {
          await built.app.close();
        } finally {
          clearTimeout(force);
          await engine.close();
        }
      })();
      return stopping;
    },
  };
}
