import { describe, expect, it } from 'vitest';
import { createConflictHandler } from './conflict-handler';

const stub = { digest: 'md5-abc', length: 5, type: 'text/plain' };
const base = {
  id: 'doc1',
  patientId: 'pat1',
  title: "Carte d'identité",
  type: { system: 'local', code: 'ID' },
  category: 'administrative',
  mimeType: 'text/plain',
  size: 5,
  attachmentId: 'scan',
  createdAt: '2026-11-28T07:00:00.000Z',
  updatedAt: '2026-11-28T07:00:00.000Z',
  _deleted: false,
};

describe('conflict handler and local attachments (the server stores none)', () => {
  const recorded: unknown[] = [];
  const handler = createConflictHandler<typeof base>('document', async (c) => {
    recorded.push(...c);
  });

  it('does not see a conflict where the only difference is this workstation’s files', () => {
    const local = { ...base, _attachments: { scan: stub } };
    expect(handler.isEqual(local as never, base as never, 'test')).toBe(true);
  });

  it('returns a merge without _attachments, so RxDB keeps the workstation’s files', async () => {
    const server = { ...base, title: "Carte d'identité (recto)", updatedAt: '2026-11-28T07:05:00.000Z' };
    const merged = (await handler.resolve(
      {
        assumedMasterState: base as never,
        newDocumentState: { ...base, _attachments: { scan: stub } } as never,
        realMasterState: { ...server, _attachments: {} } as never,
      },
      'test',
    )) as Record<string, unknown>;
    expect(merged['title']).toBe("Carte d'identité (recto)");
    expect('_attachments' in merged).toBe(false);
    expect(recorded).toEqual([]);
  });
});
