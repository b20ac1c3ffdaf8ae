/**
 * RxDB's own replication test suite (`runReplicationBaseTestSuite` of
 * rxdb/plugins/test-utils, RxDB 17.6, the suite "all replication plugins should run")
 * against this server: live push, two clients converging through it (inserts, a deletion,
 * a bulk insert, parallel inserts), and a conflict where the master state must win, on
 * both engines.
 *
 * The suite works on its own `human` collection ({ passportId, firstName, lastName, age },
 * random strings with umlauts, brackets and emoji), which the server does not know: each
 * human travels as a patient document, by RxDB's push and pull modifiers. The passport id
 * becomes a patient id (base64url of its UTF-8, which our id alphabet accepts), the names
 * the birth name and first name, the age the postal code. The mapping is deterministic,
 * so the server compares assumed and stored states exactly as for real patients. The
 * replication is RxDB's replicateRxCollection over the real HTTP routes, as a secretary
 * (who may write identity documents). Not run: the suite's attachment cases (the server
 * keeps no attachments, see main/src/sync/README.md), which it only runs when given an
 * attachment-syncing helper.
 */
import type { RxCollection } from 'rxdb';
import { addRxPlugin } from 'rxdb';
import { disableWarnings, RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { runReplicationBaseTestSuite, setConfig } from 'rxdb/plugins/test-utils';
import { afterEach, beforeEach, describe, it } from 'vitest';
import type { Patient } from '../../../shared/src/schemas';
import type { PullResponse, PushResponse, ReplicationCheckpoint, WireDocument } from '../../../shared/src/sync/protocol';
import { PullResponseSchema, PushResponseSchema } from '../../../shared/src/sync/protocol';
import { makePatient } from '../testing/documents';
import { forEachEngine } from '../testing/engines';
import type { TestServer, TestUser } from '../testing/server';
import { signIn, startTestServer } from '../testing/server';
import { wireDocument } from './repository';

type Human = { passportId: string; firstName?: string; lastName?: string; age?: number; _deleted: boolean };

/** Fixed, so the same human always gives the same patient document. */
const T0 = '2026-03-02T08:00:00.000Z';

const patientId = (passportId: string): string => `h${Buffer.from(passportId, 'utf8').toString('base64url')}`;
const passportIdOf = (id: string): string => Buffer.from(id.slice(1), 'base64url').toString('utf8');

function toPatient(human: Human): WireDocument {
  const patient: Patient = makePatient(patientId(human.passportId), human.lastName ?? '-', {
    firstNames: [human.firstName ?? '-'],
    contact: { addressLines: [], phones: [], ...(human.age === undefined ? {} : { postalCode: String(human.age) }) },
    createdAt: T0,
    updatedAt: T0,
  });
  return { ...patient, _deleted: human._deleted === true } as WireDocument;
}

function toHuman(doc: WireDocument): Human {
  const patient = doc as unknown as Patient & { _deleted: boolean };
  const postalCode = patient.contact.postalCode;
  return {
    passportId: passportIdOf(patient.id),
    firstName: patient.firstNames[0] as string,
    lastName: patient.birthName,
    ...(postalCode === undefined ? {} : { age: Number(postalCode) }),
    _deleted: patient._deleted,
  };
}

// The suite's collections are created with ignoreDuplicate, which RxDB allows in dev-mode
// only; dev-mode wants a validating storage.
disableWarnings();
addRxPlugin(RxDBDevModePlugin);

setConfig({
  storage: {
    name: 'memory',
    getStorage: () => wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
    getPerformanceStorage: () => ({ storage: getRxStorageMemory(), description: 'memory' }),
    hasPersistence: false,
    hasMultiInstance: false,
    hasAttachments: false,
    hasReplication: true,
  },
} as never);

forEachEngine('RxDB replication base test suite', (getEngine) => {
  let server: TestServer;
  let user: TestUser;
  const replications: RxReplicationState<unknown, ReplicationCheckpoint>[] = [];

  beforeEach(async () => {
    server = await startTestServer(getEngine());
    user = await signIn(server.services, 'secretary');
  });
  afterEach(async () => {
    for (const r of replications.splice(0)) await r.cancel();
    await server.close();
  });

  const call = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };

  const replicate = (collection: RxCollection, live: boolean): RxReplicationState<unknown, ReplicationCheckpoint> => {
    const state = replicateRxCollection<unknown, ReplicationCheckpoint>({
      replicationIdentifier: 'rxdb-base-suite',
      collection,
      live,
      retryTime: 50,
      waitForLeadership: false,
      pull: {
        batchSize: 20,
        modifier: (doc) => toHuman(doc as WireDocument) as never,
        handler: async (checkpoint, batchSize) => {
          const result = PullResponseSchema.parse(
            await call('/v1/replication/patient/pull', { checkpoint: checkpoint ?? null, batchSize }),
          ) as PullResponse;
          return { documents: result.documents as never[], checkpoint: result.checkpoint };
        },
      },
      push: {
        batchSize: 20,
        modifier: (doc) => toPatient(doc as unknown as Human) as never,
        handler: async (rows) => {
          const body = { rows: rows.map((r) => ({ assumedMasterState: r.assumedMasterState ?? null, newDocumentState: r.newDocumentState })) };
          const result = PushResponseSchema.parse(await call('/v1/replication/patient/push', body)) as PushResponse;
          if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected)}`);
          // RxDB applies pull.modifier to pulled documents only, not to the master states a
          // push handler returns as conflicts: those must already be in the collection's
          // format (keyed by its primary key, passportId). Returned as patients, RxDB's
          // conflict resolution threw (TypeError, reported on error$ only) and the master
          // state reached the client only in the runs where the pull ran after the push.
          return result.conflicts.map((doc) => toHuman(doc)) as never[];
        },
      },
    });
    replications.push(state);
    return state;
  };

  // The suite declares its tests with mocha's globals: vitest's, for this file (vitest
  // collects nested suites after this callback returns, so they stay set).
  const globals = globalThis as unknown as Record<string, unknown>;
  globals['describe'] = describe;
  globals['it'] = it;
  {
    runReplicationBaseTestSuite({
      startReplication: (collection: RxCollection) => replicate(collection, true),
      syncOnce: async (collection: RxCollection) => {
        const state = replicate(collection, false);
        // An error inside the replication (a failed push, a failed conflict resolution) is
        // only emitted on error$: fail the sync instead of letting a test see stale data.
        const errors: unknown[] = [];
        const subscription = state.error$.subscribe((error) => errors.push(error));
        try {
          await state.awaitInitialReplication();
          await state.cancel();
        } finally {
          subscription.unsubscribe();
        }
        if (errors.length > 0) throw new Error(`replication failed: ${String(errors[0])}`, { cause: errors[0] });
      },
      getAllServerDocs: async () => {
        const rows = await getEngine().query<{ data: string; deleted: unknown }>(
          "SELECT data, deleted FROM documents WHERE collection = 'patient' ORDER BY sequence",
        );
        return rows.map((row) => toHuman(wireDocument(row)));
      },
      cleanUpServer: async () => {
        await getEngine().execute("DELETE FROM documents WHERE collection = 'patient'");
      },
      softDeletes: true,
      isDeleted: (doc: Human) => doc._deleted,
      getPrimaryOfServerDoc: (doc: Human) => doc.passportId,
    } as never);
  }
});
