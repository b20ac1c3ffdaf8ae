import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { INTEROP_API } from '../../../shared/src/api/interop-contract';
import { AppError } from '../../../shared/src/errors';
import {
  HL7_INBOX_ENDPOINTS,
  Hl7InboxItemSchema,
  Hl7InboxListSchema,
} from '../../../shared/src/sync/hl7-protocol';
import type { Interop } from './index';

type InteropChannel = keyof typeof INTEROP_API;
type Request<C extends InteropChannel> = z.output<(typeof INTEROP_API)[C]['request']>;
type Response<C extends InteropChannel> = z.input<(typeof INTEROP_API)[C]['response']>;

export type InteropHandlers = {
  readonly [C in InteropChannel]: (request: Request<C>) => Promise<Response<C>>;
};

export type InteropCore = {
  interop(): Interop;
  /** Electron's save dialog (undefined = cancelled); absent in browser mode, where the file comes back as a download. */
  readonly saveFile?: ((suggestedName: string) => Promise<string | undefined>) | undefined;
  /** A call to the sync server with the session's token (non-2xx throws the server's code); absent: not signed in to a server. */
  readonly serverFetch?:
    | ((pathAndQuery: string, init?: { method?: string; body?: unknown }) => Promise<globalThis.Response>)
    | undefined;
};

/** Writes next to the target and renames: a crash never leaves half an export under the chosen name. */
function writeAtomically(target: string, bytes: Uint8Array): void {
  const dir = path.dirname(target);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path the user chose in the save dialog
  if (!fs.existsSync(dir) || path.basename(target) === '') throw new AppError('INTEROP_EXPORT_PATH_INVALID');
  const tmp = `${target}.part`;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the path the user chose in the save dialog
    fs.writeFileSync(tmp, bytes, { mode: 0o600 });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same
    fs.renameSync(tmp, target);
  } catch (cause) {
    fs.rmSync(tmp, { force: true });
    throw new AppError('INTEROP_EXPORT_WRITE_FAILED', undefined, { cause });
  }
}

/** One line per interop channel (the dispatcher validated the request and validates the response). */
export function createInteropHandlers(core: InteropCore): InteropHandlers {
  return {
    'interop:import': async (r) =>
      core.interop().hl7.importMessage(new Uint8Array(Buffer.from(r.contentBase64, 'base64')), {
        kind: r.source,
        ...(r.sourceName === undefined ? {} : { name: r.sourceName }),
      }),
    'interop:quarantine-list': async (r) => ({ items: await core.interop().hl7.list(r?.status) }),
    'interop:quarantine-attach': async (r) => core.interop().hl7.attach(r.id, r.patientId),
    'interop:quarantine-reject': async (r) => core.interop().hl7.reject(r.id, r.reason),
    'interop:server-inbox': async () => {
      if (core.serverFetch === undefined) throw new AppError('SYNC_CLIENT_LOGIN_REQUIRED');
      const interop = core.interop();
      const list = Hl7InboxListSchema.parse(await (await core.serverFetch(HL7_INBOX_ENDPOINTS.list)).json());
      let claimed = 0;
      for (const item of list.items) {
        // Claimed first (one workstation takes it), then kept here; the server keeps the bytes either way.
        let res: globalThis.Response;
        try {
          res = await core.serverFetch(
            HL7_INBOX_ENDPOINTS.claim.replace(':id', encodeURIComponent(item.id)),
            { method: 'POST', body: {} },
          );
        } catch (e) {
          // Another workstation took it meanwhile: it is in that one's list.
          if (
            e instanceof AppError &&
            (e.code === 'HL7_QUARANTINE_RESOLVED' || e.code === 'HL7_QUARANTINE_NOT_FOUND')
          )
            continue;
          throw e;
        }
        const mine = Hl7InboxItemSchema.parse(await res.json());
        await interop.hl7.adopt(mine);
        claimed += 1;
      }
      return { claimed };
    },
    'patients:export': async (r) => {
      const interop = core.interop();
      let target: string | undefined;
      if (core.saveFile !== undefined) {
        // The name is only known once the export ran; the dialog proposes a generic one first, so a cancel costs nothing.
        target = await core.saveFile(
          `export-${r.format}${r.format === 'pdf-summary' ? '.pdf' : r.format === 'hl7-adt-a31' ? '.hl7' : '.json'}`,
        );
        if (target === undefined) return { kind: 'cancelled' as const };
      }
      const file = await interop.exports.export(r.patientId, r.format, r.language);
      if (target === undefined) {
        return {
          kind: 'download' as const,
          fileName: file.fileName,
          mimeType: file.mimeType,
          contentBase64: Buffer.from(file.bytes).toString('base64'),
        };
      }
      writeAtomically(target, file.bytes);
      return { kind: 'saved' as const, path: target, bytes: file.bytes.length };
    },
  };
}
