import type { RxJsonSchema } from 'rxdb';
import { z } from 'zod';

export type RxSchemaOptions = {
  readonly title: string;
  readonly indexes: readonly (readonly string[])[];
  /** Collections whose files are RxDB attachments (documents, DICOM). */
  readonly attachments?: boolean;
  /** RxDB schema version (default 0); each step above 0 needs a migration strategy in the registry. */
  readonly version?: number;
};

type JsonSchemaNode = {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  enum?: unknown[];
  [key: string]: unknown;
};

function nodeAt(root: JsonSchemaNode, path: string): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = root;
  for (const part of path.split('.')) node = node?.properties?.[part];
  return node;
}

/**
 * Derives the RxDB schema (version 0 unless told) from the zod schema, which stays the one source of
 * truth. RxDB needs bounds to build index keys (maxLength on strings, minimum, maximum
 * and multipleOf on numbers); those must already be in the zod schema (an enum's maxLength
 * is derived from its values), and this function refuses to derive a schema where they are
 * missing rather than invent them.
 */
export function toRxJsonSchema<T>(schema: z.ZodType<T>, options: RxSchemaOptions): RxJsonSchema<T> {
  const json = z.toJSONSchema(schema, {
    target: 'draft-07',
    io: 'output',
    unrepresentable: 'throw',
    cycles: 'throw',
    reused: 'inline',
  }) as JsonSchemaNode;
  delete json.$schema;
  if (json.type !== 'object' || !json.properties) {
    throw new TypeError(`${options.title}: a collection schema must be an object`);
  }
  const primary = json.properties.id;
  if (primary?.type !== 'string' || primary.maxLength === undefined || !json.required?.includes('id')) {
    throw new TypeError(`${options.title}: the primary key "id" must be a required string with maxLength`);
  }
  for (const index of options.indexes) {
    for (const field of index) {
      const node = nodeAt(json, field);
      // An enum's bound is a fact of the enum, not an invention: derive it.
      if (node?.type === 'string' && node.maxLength === undefined && Array.isArray(node.enum)) {
        node.maxLength = Math.max(...node.enum.map((v) => String(v).length));
      }
      const ok =
        node !== undefined &&
        ((node.type === 'string' && node.maxLength !== undefined) ||
          ((node.type === 'number' || node.type === 'integer') &&
            node.minimum !== undefined &&
            node.maximum !== undefined &&
            node.multipleOf !== undefined));
      if (!ok) throw new TypeError(`${options.title}: indexed field "${field}" lacks the bounds RxDB needs`);
    }
  }
  const rx = {
    title: options.title,
    version: options.version ?? 0,
    primaryKey: 'id',
    ...json,
    indexes: options.indexes.map((index) => [...index]),
    ...(options.attachments ? { attachments: {} } : {}),
  };
  return rx as unknown as RxJsonSchema<T>;
}
