import fs from 'node:fs';
import type { Writable } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAppError, translateError } from '../../../shared/src/errors';
import type { ServerConfig } from '../config';
import { loadConfig } from '../config';
import { SqliteEngine } from '../db/sqlite-engine';
import { openEngine, startServer } from '../server';
import { buildApp } from '../app';
import { IDENTITY_COMMANDS, IDENTITY_USAGE, runIdentityCommand } from './identity-commands';
import { AUDIT_USAGE, runAuditCommand } from './audit-commands';
import { RIGHTS_USAGE, runRightsCommand } from './rights-commands';

export const USAGE = `Clinic sync server

  npm run server [-- --host <h> --port <p> --data-dir <dir> --database-url <postgres://…>]
        starts the server (default: 127.0.0.1:8787, SQLite under ./.data/sync-server)
  npm run server -- <command> …

Settings (flag or environment variable): --host HOST, --port PORT, --data-dir DATA_DIR,
  --database-url DATABASE_URL, --database-schema DATABASE_SCHEMA, --log-level LOG_LEVEL,
  --metrics-token METRICS_TOKEN (bearer token of /metrics; without it /metrics answers 404)

Server commands:
  migrate                       applies the database migrations and exits
  backup [--to <file>]          SQLite: online backup to a file; PostgreSQL: prints the pg_dump command
  openapi                       prints the OpenAPI document of the HTTP API
  help

${IDENTITY_USAGE}
${AUDIT_USAGE}
${RIGHTS_USAGE}`;

const GLOBAL_FLAGS = ['host', 'port', 'data-dir', 'database-url', 'database-schema', 'log-level', 'body-limit', 'metrics-token'] as const;

export type CliIo = {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
};

/** Splits the server's own flags (anywhere on the line) from the command's arguments. */
export function splitGlobalFlags(argv: readonly string[]): { flags: Record<string, string>; rest: string[] } {
  const flags: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if ((GLOBAL_FLAGS as readonly string[]).includes(name)) {
        const inline = eq === -1 ? undefined : arg.slice(eq + 1);
        if (inline === undefined) i += 1;
        flags[name] = inline ?? argv[i] ?? '';
        continue;
      }
    }
    rest.push(arg);
  }
  return { flags, rest };
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

async function backup(config: ServerConfig, args: readonly string[], io: CliIo): Promise<number> {
  const toIndex = args.indexOf('--to');
  const target = toIndex >= 0 ? args[toIndex + 1] : undefined;
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    if (url.password) url.password = '****';
    io.stdout.write(
      `PostgreSQL is backed up with its own tools, not by this server. For example:\n` +
        `  pg_dump --format=custom --schema=${config.databaseSchema} --file=sync-${timestamp()}.dump '${url.toString()}'\n` +
        `(restore with pg_restore; the audit log's signing key lives in ${config.dataDir}: back it up too)\n`,
    );
    return 0;
  }
  const engine = await openEngine(config);
  try {
    const destination = path.resolve(target ?? path.join(config.dataDir, 'backups', `sync-${timestamp()}.sqlite`));
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the backup file
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    if (!(engine instanceof SqliteEngine)) throw new Error('unexpected engine');
    await engine.backup(destination);
    io.stdout.write(`Backup written to ${destination}\n(the audit signing key in ${config.dataDir} is not in it: back it up separately)\n`);
    return 0;
  } finally {
    await engine.close();
  }
}

async function serve(config: ServerConfig, io: CliIo): Promise<number> {
  const server = await startServer(config);
  io.stdout.write(`Sync server listening on ${server.url} (${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`})\n`);
  const users = await server.services.auth.listUsers();
  if (!users.some((u) => u.role === 'admin' && u.disabledAt === null)) {
    io.stdout.write(
      'No administrator yet. Create the first one (the password is read from standard input):\n' +
        `  npm run server -- user create admin --role admin --display-name "Administrateur"${config.databaseUrl ? '' : ` --data-dir ${config.dataDir}`}\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      io.stdout.write(`${signal}: finishing in-flight requests…\n`);
      void server.stop().then(resolve, (error: unknown) => {
        io.stderr.write(`shutdown failed: ${error instanceof Error ? error.name : 'error'}\n`);
        resolve();
      });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  return 0;
}

/** Runs one command line; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const { flags, rest } = splitGlobalFlags(argv);
  let config: ServerConfig;
  try {
    config = loadConfig({ env: io.env, flags });
  } catch (error) {
    io.stderr.write(`${isAppError(error) ? translateError(error.toPayload(), 'fr') : String(error)}\n`);
    return 2;
  }
  const [command] = rest;
  try {
    if (command === undefined || command === 'serve' || command === 'start') return await serve(config, io);
    if (command === 'help' || command === '--help' || command === '-h') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (command === 'backup') return await backup(config, rest.slice(1), io);
    if (command === 'openapi') {
      io.stdout.write(await openApiDocument(config));
      return 0;
    }
    if (command === 'migrate') {
      const engine = await openEngine(config);
      await engine.close();
      io.stdout.write('Database migrated.\n');
      return 0;
    }
    if (command === 'rights') {
      const engine = await openEngine(config);
      try {
        return await runRightsCommand(rest, { engine, config, env: io.env, stdout: io.stdout });
      } finally {
        await engine.close();
      }
    }
    if ((IDENTITY_COMMANDS as readonly string[]).includes(command) || command === 'audit') {
      const engine = await openEngine(config);
      try {
        return command === 'audit'
          ? await runAuditCommand(rest, { engine, stdout: io.stdout, stderr: io.stderr, dataDir: config.dataDir })
          : await runIdentityCommand(rest, { engine, stdout: io.stdout, stderr: io.stderr });
      } finally {
        await engine.close();
      }
    }
    io.stderr.write(`Unknown command: ${command}\n\n${USAGE}`);
    return 2;
  } catch (error) {
    io.stderr.write(`${isAppError(error) ? translateError(error.toPayload(), 'fr') : error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** The OpenAPI document of the whole API, as committed in sync-server/openapi.json. */
export async function openApiDocument(config: ServerConfig): Promise<string> {
  const { openSqliteEngine } = await import('../db/sqlite-engine');
  const { migrate } = await import('../db/migrate');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-openapi-'));
  const engine = openSqliteEngine({ file: path.join(dir, 'openapi.sqlite') });
  try {
    await migrate(engine);
    const { app } = await buildApp({ engine, config: { ...config, dataDir: dir, logLevel: 'silent' }, runJobs: false });
    await app.ready();
    const document = JSON.stringify(app.swagger(), null, 2);
    await app.close();
    return `${document}\n`;
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
