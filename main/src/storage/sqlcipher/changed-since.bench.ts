import type { RxDocumentData, RxStorageDefaultCheckpoint, RxStorageInstance } from 'rxdb';
import { now } from 'rxdb';
import { getRxStorageSQLCipher } from './index';
import type { TestDoc } from './test-support';
import { createInstance, newDoc, tempVault, testSchema } from './test-support';

/**
 * getChangedDocumentsSince paging, limit 100, through one group of 1,000 documents sharing one
 * _meta.lwt (one replicated pull batch) in a table of 50,000 documents.
 * Run: npx tsx main/src/storage/sqlcipher/changed-since.bench.ts
 */
const TOTAL = 50_000;
const GROUP = 1_000;
const LIMIT = 100;
const ROUNDS = 20;

type Instance = RxStorageInstance<TestDoc, unknown, unknown>;

async function main(): Promise<void> {
  const vault = tempVault();
  const storage = getRxStorageSQLCipher({ filename: vault.filename, key: vault.key });
  const instance = (await createInstance(storage, 'patients', testSchema())) as Instance;
  try {
    const before = TOTAL - GROUP;
    let lwt = now();
    for (let start = 0; start < before; start += 1000) {
      const rows = [];
      for (let i = start; i < Math.min(start + 1000, before); i++) {
        lwt = now();
        rows.push({
          document: newDoc({ id: `a${String(i).padStart(6, '0')}`, name: `n${i}`, age: i % 150 }, undefined, {
            _meta: { lwt },
          }),
        });
      }
      await instance.bulkWrite(rows, 'bench');
    }
    const groupLwt = now();
    const group = [];
    for (let i = 0; i < GROUP; i++) {
      group.push({
        document: newDoc(
          { id: `g${String((i * 7919) % GROUP).padStart(6, '0')}`, name: `g${i}`, age: i % 150 },
          undefined,
          {
            _meta: { lwt: groupLwt },
          },
        ),
      });
    }
    await instance.bulkWrite(group, 'bench');
    const last = newDoc({ id: 'a-last', name: 'x', age: 1 });
    await instance.bulkWrite([{ document: last }], 'bench');
    // The checkpoint just before the group: the last document written before it.
    const start: RxStorageDefaultCheckpoint = { id: `a${String(before - 1).padStart(6, '0')}`, lwt };
    const changed = instance.getChangedDocumentsSince;
    if (!changed) throw new Error('storage has no getChangedDocumentsSince');
    const walk = async (): Promise<{ pages: number; docs: number }> => {
      let checkpoint = start;
      let pages = 0;
      let docs = 0;
      for (;;) {
        const page = (await changed.call(instance, LIMIT, checkpoint)) as {
          documents: RxDocumentData<TestDoc>[];
          checkpoint: RxStorageDefaultCheckpoint;
        };
        pages += 1;
        docs += page.documents.length;
        checkpoint = page.checkpoint;
        if (page.documents.some((d) => d._meta.lwt !== groupLwt)) break;
      }
      return { pages, docs };
    };
    const first = await walk();
    if (first.docs < GROUP) throw new Error(`walk returned ${first.docs} documents`);
    const times: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      await walk();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    console.log(
      `${TOTAL} documents, group of ${GROUP} with one lwt, limit ${LIMIT}: ${first.pages} pages, ` +
        `median ${median.toFixed(2)} ms per walk (${(median / first.pages).toFixed(3)} ms per page), min ${(times[0] ?? 0).toFixed(2)} ms`,
    );
  } finally {
    await instance.remove();
    vault.cleanup();
  }
}

await main();
