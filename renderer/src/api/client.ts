import type { ApiError, FieldIssue } from '../../../shared/src/api/envelope';
import { envelopeSchema } from '../../../shared/src/api/envelope';
import type {
  ApiChannel,
  ApiEvent,
  ApiEventPayload,
  ApiRequest,
  ApiResponse,
} from '../../../shared/src/api/contract';
import { API, EVENTS } from '../../../shared/src/api/contract';
import type { ErrorParams, ErrorPayload } from '../../../shared/src/errors';
import type { ApiTransport } from './transport';
import { TransportError } from './transport';

/** A failed call, as a catalogue code the UI translates (and field issues for forms). */
export class ApiCallError extends Error {
  readonly code: string;
  readonly params: ErrorParams | undefined;
  readonly issues: readonly FieldIssue[];

  constructor(error: ApiError) {
    super(error.code);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.params = error.params;
    this.issues = error.issues ?? [];
  }

  get payload(): ErrorPayload {
    return this.params ? { code: this.code, params: this.params } : { code: this.code };
  }
}

export type ApiClient = {
  /** Resolves with the validated value; rejects with ApiCallError (never anything else). */
  call<C extends ApiChannel>(channel: C, request: ApiRequest<C>): Promise<ApiResponse<C>>;
  /** Listens to one event; payloads that do not match the contract are dropped. */
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
  /** A byte route of the host (see bytes.ts: `fetchInstanceBytes(client, studyId, sop)`); rejects with an AppError. */
  fetchBytes(path: string): Promise<ArrayBuffer>;
};

type EventListener = (payload: unknown) => void;

const envelopeCache = new Map<string, ReturnType<typeof envelopeSchema>>();
function envelopeFor(channel: ApiChannel): ReturnType<typeof envelopeSchema> {
  let schema = envelopeCache.get(channel);
  if (!schema) {
    schema = envelopeSchema(API[channel].response);
    envelopeCache.set(channel, schema);
  }
  return schema;
}

/**
 * The renderer's one way to the host, typed from the contract in shared/src/api. Answers
 * are validated with the same schemas the host used: the renderer trusts the shape of
 * nothing it did not check, whichever transport carried it.
 */
export function createApiClient(transport: ApiTransport): ApiClient {
  const listeners = new Map<string, Set<EventListener>>();
  let unsubscribe: (() => void) | undefined;

  function dispatchEvent(event: string, payload: unknown): void {
    const set = listeners.get(event);
    if (!set || set.size === 0 || !Object.prototype.hasOwnProperty.call(EVENTS, event)) return;
    const parsed = EVENTS[event as ApiEvent].safeParse(payload);
    if (!parsed.success) {
      console.warn(`event ${event} does not match the contract; dropped`);
      return;
    }
    for (const l of [...set]) l(parsed.data);
  }

  return {
    fetchBytes: (path) => transport.fetchBytes(path),
    async call(channel, request) {
      let raw: unknown;
      try {
        raw = await transport.invoke(channel, request);
      } catch (e) {
        throw new ApiCallError(
          e instanceof TransportError ? e.payload : { code: 'RENDERER_HOST_UNREACHABLE' },
        );
      }
      const parsed = envelopeFor(channel).safeParse(raw);
      if (!parsed.success) {
        console.warn(`answer of ${channel} does not match the contract`);
        throw new ApiCallError({ code: 'RENDERER_RESPONSE_INVALID', params: { channel } });
      }
      const envelope = parsed.data;
      if (!envelope.ok) throw new ApiCallError(envelope.error);
      return envelope.value as ApiResponse<typeof channel>;
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const l = listener as EventListener;
      set.add(l);
      unsubscribe ??= transport.subscribe(dispatchEvent);
      return () => {
        set.delete(l);
        if ([...listeners.values()].every((s) => s.size === 0)) {
          unsubscribe?.();
          unsubscribe = undefined;
        }
      };
    },
  };
}
