import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heal, violations } from './fault-checks';
import type { World } from './fault-model';
import { commandArbitrary, newRun, openWorld } from './fault-model';
import type { FaultServerEngine } from './fault-server';
import { serverUnavailable } from './test-server';

/**
 * Issue 3 §5: correctness under faults, as a fast-check model run against the real server
 * process, three workstation processes (A on an encrypted vault) and a fault-injecting
 * proxy in front of each. Bounded so the file stays near a minute on SQLite on 2 cores.
 */

const RUNS = Number(process.env['FAULT_MODEL_RUNS'] ?? 12);
const MAX_COMMANDS = Number(process.env['FAULT_MODEL_COMMANDS'] ?? 20);
/** Long enough for faults to meet writes; short enough for shrinking to say what matters. */
const MIN_COMMANDS = Math.min(6, MAX_COMMANDS);
const PG_URL = process.env['DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const CI = process.env['CI'] === 'true';
const SHRINK_BUDGET_MS = Number(process.env['FAULT_MODEL_SHRINK_MS'] ?? 150_000);

async function postgresUnreachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL unreachable at ${PG_URL.replace(/\/\/[^@]*@/, '//…@')}: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

const missingServer = serverUnavailable();
if (missingServer && CI) throw new Error(missingServer);
const pgMissing = missingServer ? undefined : await postgresUnreachable();
if (pgMissing && CI) throw new Error(`${pgMissing} (CI=true: the PostgreSQL fault model must run)`);
if (pgMissing) console.warn(`fault model on PostgreSQL skipped: ${pgMissing}`);

const engines: { name: string; engine: () => FaultServerEngine; skip: string | undefined; cleanup?: (e: FaultServerEngine) => Promise<void> }[] = [
  { name: 'SQLite', engine: () => ({ kind: 'sqlite' }), skip: missingServer },
  {
    name: 'PostgreSQL',
    engine: () => ({ kind: 'postgres', url: PG_URL, schema: `fault_model_${process.pid}_${Date.now().toString(36)}` }),
    skip: missingServer ?? pgMissing,
    cleanup: (e) => (e.kind === 'postgres' ? dropSchema(e.schema) : Promise.resolve()),
  },
];

/** FAULT_MODEL_ENGINE=sqlite|postgresql runs one engine only (when chasing a failure). */
const only = process.env['FAULT_MODEL_ENGINE']?.toLowerCase();

for (const { name, engine, skip, cleanup } of engines) {
  if (only !== undefined && only !== name.toLowerCase()) continue;
  describe.skipIf(skip !== undefined)(`fault model on ${name}`, () => {
    let world: World | undefined;
    const used = engine();
    // Starting a server and three workstation processes (one on an encrypted vault) takes
    // seconds alone and over a minute on two busy cores (it timed out at 60 s there).
    beforeAll(async () => {
      world = await openWorld(used);
    }, 180_000);
    afterAll(async () => {
      await world?.close();
      await cleanup?.(used);
    }, 30_000);

    it(
      'every workstation converges to what its user may see, no write is lost, each audit event is logged once',
      async () => {
        const w = world as World;
        const started = Date.now();
        let commands = 0;
        let runs = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(commandArbitrary({ restartServerWeight: 1, restartWorkstationWeight: 2 }), { minLength: MIN_COMMANDS, maxLength: MAX_COMMANDS, size: 'max' }),
            async (cmds) => {
              const model = await newRun(w);
              try {
                // A command whose precondition fails on the model is skipped, as fc.commands does.
                for (const cmd of cmds) if (cmd.check(model)) await cmd.run(model, w);
                commands += model.log.filter((l) => !l.includes('skipped')).length;
                await heal(w, model, 15_000);
                const failures = await violations(w, model);
                if (failures.length > 0) throw new Error(failures.join('\n'));
                if (process.env['FAULT_MODEL_VERBOSE'] === 'true') console.info(model.log.join('\n'));
                runs += 1;
              } catch (error) {
                throw new Error(`${error instanceof Error ? error.message : String(error)}\nexecuted:\n  ${model.log.join('\n  ')}`, { cause: error });
              }
            },
          ),
          {
            numRuns: RUNS,
            // Replays a reported failure: FAULT_MODEL_SEED=<seed> FAULT_MODEL_PATH=<path>.
            ...(process.env['FAULT_MODEL_SEED'] ? { seed: Number(process.env['FAULT_MODEL_SEED']), path: process.env['FAULT_MODEL_PATH'] } : {}),
            // Runs and shrinking replay whole worlds (seconds each): the property stops at this
            // budget. Running out of time is not a failure (on a loaded machine fewer of the
            // RUNS fit: at least one must, see below); a failure found before is still
            // reported, with the smallest failing sequence shrinking reached. Counting the
            // interruption as a failure made the file fail whenever two cores were busy.
            interruptAfterTimeLimit: SHRINK_BUDGET_MS,
            markInterruptAsFailure: false,
            endOnFailure: process.env['FAULT_MODEL_SHRINK'] === 'false',
          },
        );
        console.info(`fault model on ${name}: ${runs} of ${RUNS} runs, ${commands} commands executed, ${Date.now() - started} ms`);
        expect(runs).toBeGreaterThan(0);
        expect(commands).toBeGreaterThan(0);
      },
      240_000,
    );
  });
}
