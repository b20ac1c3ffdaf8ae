/* eslint-disable security/detect-non-literal-fs-filename -- the files are the ones the operator names on the command line */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { Language } from '../../../shared/src/errors';
import { AppError, isAppError, translateError } from '../../../shared/src/errors';
import { DocumentIdSchema, InstantSchema } from '../../../shared/src/schemas/common';
import type { CentralAuditLog } from '../audit/audit-log';
import { createAuditLog } from '../audit/audit-log';
import { createCheckpointService } from '../audit/checkpoints';
import { csvChunks } from '../audit/csv';
import { keyIdOf, loadOrCreateSigningKey } from '../audit/signing';
import type { Engine } from '../db/engine';
import type { Clock } from '../types';
import { createPublicKey } from 'node:crypto';

export type AuditCommandContext = {
  readonly engine: Engine;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Where the checkpoint signing key lives (DATA_DIR): its public key is the one `verify` trusts. */
  readonly dataDir: string;
  readonly clock?: Clock;
  readonly log?: CentralAuditLog;
  readonly language?: Language;
};

export const AUDIT_USAGE = `Audit commands:
  audit verify [--public-key <file.pem>]...
        walks the hash chain and checks it against the signed checkpoints; exit 0 and the
        head when intact, exit 1 and the first bad sequence number when not. Checkpoints
        are trusted when signed by this server's key (DATA_DIR) or a --public-key file.
  audit export --from <instant|YYYY-MM-DD> --to <instant|YYYY-MM-DD> [--patient <id>] > file.csv
        CSV (RFC 4180, UTF-8 with BOM) of the entries whose instant is in [from, to)
  audit checkpoint
        signs the current head now and prints the checkpoint`;

const usage = (detail: string) => new AppError('AUDIT_CLI_USAGE', { detail });

function parseArgs(args: readonly string[]): { positional: string[]; options: Map<string, string[]> } {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name: string;
    let value: string | undefined;
    if (eq > 0) {
      name = arg.slice(2, eq);
      value = arg.slice(eq + 1);
    } else {
      name = arg.slice(2);
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw usage(`${arg} needs a value`);
      i++;
    }
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return { positional, options };
}

function instantOption(options: Map<string, string[]>, name: string): string {
  const raw = options.get(name)?.[0];
  if (raw === undefined) throw usage(`--${name} is required`);
  const value = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00.000Z` : raw;
  if (!InstantSchema.safeParse(value).success) throw usage(`--${name} ${raw}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.sssZ`);
  return value;
}

async function write(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

/**
 * `npm run server -- audit <verify|export|checkpoint>`. Returns the exit code: 0 done
 * (chain intact), 1 chain broken or refused, 2 bad usage.
 */
export async function runAuditCommand(args: readonly string[], ctx: AuditCommandContext): Promise<number> {
  const clock = ctx.clock ?? Date.now;
  const language = ctx.language ?? 'fr';
  const log = ctx.log ?? createAuditLog({ engine: ctx.engine, clock });
  const out = (line: string) => ctx.stdout.write(`${line}\n`);
  const rest = args[0] === 'audit' ? args.slice(1) : args;
  try {
    const { positional, options } = parseArgs(rest);
    const [command, ...extra] = positional;
    if (extra.length > 0) throw usage(`unexpected argument ${extra[0] ?? ''}`);
    switch (command) {
      case 'verify': {
        const signer = loadOrCreateSigningKey({ dir: ctx.dataDir });
        const trustedKeys = new Map([[signer.keyId, signer.publicKeyPem]]);
        for (const file of options.get('public-key') ?? []) {
          const pem = fs.readFileSync(file, 'utf8');
          trustedKeys.set(keyIdOf(createPublicKey(pem)), pem);
        }
        const checkpoints = createCheckpointService({ engine: ctx.engine, clock, signer, log });
        const result = await checkpoints.verifyAll({ trustedKeys });
        if (result.ok) {
          out(`audit chain intact: ${result.head.sequence} entries, head ${result.head.hash}`);
          out(`signed checkpoints checked: ${result.checkpointsChecked}${result.checkpointsSkipped ? `, not trusted (ignored): ${result.checkpointsSkipped}` : ''}`);
          return 0;
        }
        const error = new AppError('AUDIT_CHAIN_BROKEN', { sequence: result.firstBadSequence, kind: result.kind });
        ctx.stderr.write(`${error.code}: ${translateError(error.toPayload(), language)}\n`);
        out(`first bad sequence: ${result.firstBadSequence} (${result.kind})`);
        if (result.checkpointSequence !== undefined) out(`signed checkpoint contradicted: ${result.checkpointSequence}`);
        out(`last good entry: ${result.lastGood.sequence} ${result.lastGood.hash}`);
        return 1;
      }
      case 'export': {
        const from = instantOption(options, 'from');
        const to = instantOption(options, 'to');
        if (!(from < to)) throw new AppError('AUDIT_RANGE_INVALID');
        const patient = options.get('patient')?.[0];
        if (patient !== undefined && !DocumentIdSchema.safeParse(patient).success) throw usage(`--patient ${patient}: not a patient id`);
        // The export is itself an access to personal data: recorded before a byte leaves.
        await ctx.engine.transaction((tx) =>
          log.append(tx, [
            {
              id: randomUUID(),
              source: 'server',
              userId: 'server-cli',
              role: 'system',
              workstation: 'server-cli',
              action: 'export',
              ...(patient !== undefined ? { patientId: patient } : {}),
              object: { collection: 'audit_log', id: 'csv' },
              instant: new Date(clock()).toISOString(),
              outcome: 'success',
              details: { from, to },
            },
          ]),
        );
        const entries = log.scan({ from, to, ...(patient !== undefined ? { patientId: patient } : {}) });
        for await (const chunk of csvChunks(entries)) await write(ctx.stdout, chunk);
        return 0;
      }
      case 'checkpoint': {
        const signer = loadOrCreateSigningKey({ dir: ctx.dataDir });
        const cp = await createCheckpointService({ engine: ctx.engine, clock, signer, log }).create();
        out(JSON.stringify(cp));
        return 0;
      }
      default:
        throw usage(command === undefined ? 'missing command' : `unknown command ${command}`);
    }
  } catch (error) {
    if (!isAppError(error)) throw error;
    ctx.stderr.write(`${error.code}: ${translateError(error.toPayload(), language)}\n`);
    if (error.code === 'AUDIT_CLI_USAGE') {
      ctx.stderr.write(`${AUDIT_USAGE}\n`);
      return 2;
    }
    return 1;
  }
}
