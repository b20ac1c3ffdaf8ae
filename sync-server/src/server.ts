import path from 'node:path';
import type { DestinationStream } from 'pino';
import type { SyncApp } from './app';
import { buildApp } from './app';
import type { ServerConfig } from './config';
import type { Engine } from './db/engine';
import { migrate } from './db/migrate';
import { openPostgresEngine } from './db/postgres-engine';
import { openSqliteEngine } from './db/sqlite-engine';
import { createHl7Feed } from './hl7/feed';
import type { MllpListener } from './hl7/mllp';
import { startMllpListener } from './hl7/mllp';

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
  /** The HL7 MLLP listener (MLLP_PORT), when configured. */
  readonly mllp?: MllpListener;
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
  let mllp: MllpListener | undefined;
  if (config.mllpPort !== undefined) {
    try {
      const feed = createHl7Feed({ engine, audit: built.services.audit, clock: Date.now });
      mllp = await startMllpListener({ host: config.host, port: config.mllpPort, feed, log: (msg, details) => built.app.log.info(details ?? {}, msg) });
    } catch (error) {
      await built.app.close().catch(() => undefined);
      await engine.close().catch(() => undefined);
      throw error;
    }
  }
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let stopping: Promise<void> | undefined;
  return {
    ...built,
    engine,
    ...(mllp === undefined ? {} : { mllp }),
    url: `http://${host}:${port}`,
    stop() {
      stopping ??= (async () => {
        const force = setTimeout(() => built.app.server.closeAllConnections(), config.shutdownGraceMs);
        force.unref();
        try {
          await mllp?.close();
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
