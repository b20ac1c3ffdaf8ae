import { AppError } from '../../../shared/src/errors';
import type { CollectionName, DocumentOf } from '../../../shared/src/schemas';
import { parseDocument } from '../../../shared/src/schemas';

/** A stored document as plain data: RxDB's bookkeeping fields (`_rev`, `_meta`, `_attachments`, `_deleted`) removed. */
export function plain<T>(data: unknown): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (!k.startsWith('_')) out[k] = v;
  return structuredClone(out) as T;
}

/** Validates a document the service is about to write: a refusal is the schema's catalogue code, never a half write. */
export function validDocument<N extends CollectionName>(collection: N, doc: unknown): DocumentOf<N> {
  const parsed = parseDocument(collection, doc);
  if (!parsed.ok) throw new AppError(parsed.error.code, parsed.error.params);
  return parsed.value;
}
