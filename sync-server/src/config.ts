import path from 'node:path';
import { AppError } from '../../shared/src/errors';

export type ServerConfig = {
  readonly host: string;
  readonly port: number;
  /** Where the embedded SQLite database, the audit signing key and backups live. */
  readonly dataDir: string;
  /** PostgreSQL when set; the embedded SQLite file otherwise. */
  readonly databaseUrl: string | undefined;
  readonly databaseSchema: string;
  /** Largest accepted request body (bytes): a full push batch of large documents fits. */
  readonly bodyLimit: number;
  /** Deepest accepted JSON nesting of a body. */
  readonly maxJsonDepth: number;
  readonly maxStreams: number;
  readonly streamHeartbeatMs: number;
  /** A live stream is closed after this age so a revoked session cannot keep one open. */
  readonly streamMaxAgeMs: number;
  /** How long shutdown waits for in-flight requests before closing connections. */
  readonly shutdownGraceMs: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Bearer token that /metrics requires; /metrics answers 404 while none is set. */
  readonly metricsToken: string | undefined;
  /** TCP port of the HL7 MLLP listener for a lab feed (src/hl7); off when undefined. */
  readonly mllpPort?: number | undefined;
  /** INS test mode (test platforms, training): patients with the test or demo INS OIDs are accepted. Off in production. */
  readonly insTestMode?: boolean;
};

export const DEFAULT_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 8787,
  dataDir: path.resolve('.data/sync-server'),
  databaseUrl: undefined,
  databaseSchema: 'public',
  bodyLimit: 8 * 1024 * 1024,
  maxJsonDepth: 32,
  maxStreams: 1000,
  streamHeartbeatMs: 15_000,
  streamMaxAgeMs: 15 * 60_000,
  shutdownGraceMs: 10_000,
  logLevel: 'info',
  metricsToken: undefined,
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type ConfigSource = {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Parsed flags (`--port 9000` → { port: '9000' }); flags win over the environment. */
  readonly flags: Readonly<Record<string, string | undefined>>;
};

function integer(field: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw)) throw new AppError('SYNC_CONFIG_INVALID', { field });
  const value = Number(raw);
  if (value < min || value > max) throw new AppError('SYNC_CONFIG_INVALID', { field });
  return value;
}

/** HOST, PORT, DATA_DIR, DATABASE_URL (+ DATABASE_SCHEMA, LOG_LEVEL) and the matching flags. */
export function loadConfig(source: ConfigSource): ServerConfig {
  const pick = (flag: string, env: string) => source.flags[flag] ?? source.env[env];
  const host = pick('host', 'HOST') ?? DEFAULT_CONFIG.host;
  if (!/^[0-9A-Za-z.:_-]{1,255}$/.test(host)) throw new AppError('SYNC_CONFIG_INVALID', { field: 'HOST' });
  const databaseUrl = pick('database-url', 'DATABASE_URL') || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('SYNC_CONFIG_INVALID', { field: 'DATABASE_URL' });
  }
  const schema = pick('database-schema', 'DATABASE_SCHEMA') ?? DEFAULT_CONFIG.databaseSchema;
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(schema)) throw new AppError('SYNC_CONFIG_INVALID', { field: 'DATABASE_SCHEMA' });
  const logLevel = pick('log-level', 'LOG_LEVEL') ?? DEFAULT_CONFIG.logLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new AppError('SYNC_CONFIG_INVALID', { field: 'LOG_LEVEL' });
  const dataDir = pick('data-dir', 'DATA_DIR');
  const metricsToken = pick('metrics-token', 'METRICS_TOKEN') || undefined;
  // A guessable token would open the metrics to anyone on the network.
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,512}$/.test(metricsToken)) {
    throw new AppError('SYNC_CONFIG_INVALID', { field: 'METRICS_TOKEN' });
  }
  return {
    ...DEFAULT_CONFIG,
    host,
    port: integer('PORT', pick('port', 'PORT'), DEFAULT_CONFIG.port, 0, 65535),
    dataDir: dataDir ? path.resolve(dataDir) : DEFAULT_CONFIG.dataDir,
    databaseUrl,
    databaseSchema: schema,
    bodyLimit: integer('BODY_LIMIT', pick('body-limit', 'BODY_LIMIT'), DEFAULT_CONFIG.bodyLimit, 1024, 256 * 1024 * 1024),
    logLevel: logLevel as ServerConfig['logLevel'],
    metricsToken,
    ...(['1', 'true'].includes(pick('ins-test-mode', 'INS_TEST_MODE') ?? '') ? { insTestMode: true } : {}),
    ...(pick('mllp-port', 'MLLP_PORT') ? { mllpPort: integer('MLLP_PORT', pick('mllp-port', 'MLLP_PORT'), 0, 0, 65535) } : {}),
  };
}
