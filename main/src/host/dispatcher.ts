import type { ApiChannel, ApiParsedRequest, ApiResponse, Envelope } from '../../../shared/src/api';
import { API, API_ERROR_CODES, errorEnvelope, fieldIssues, isApiChannel, okEnvelope } from '../../../shared/src/api';
import { isAppError } from '../../../shared/src/errors';
import { FieldIssuesError } from '../services/patient-service';

export type Handlers = {
  readonly [C in ApiChannel]: (request: ApiParsedRequest<C>) => Promise<ApiResponse<C>> | ApiResponse<C>;
};

export type Dispatch = (channel: string, request: unknown) => Promise<Envelope>;

export type DispatcherOptions = {
  /** Called before each valid call (the idle timer counts it as activity). */
  readonly onCall?: (channel: ApiChannel) => void;
  /** Unexpected failures, for the host's log: never sent to the caller. */
  readonly onInternalError?: (channel: string, error: unknown) => void;
};

/**
 * The one entry of every transport (Electron IPC, browser-mode WebSocket): checks the
 * channel against the contract, parses the request with its schema, calls the handler,
 * checks the response with its schema, and answers an envelope. An AppError becomes its
 * code and params (and field issues); anything else becomes APP_INTERNAL_ERROR, with no
 * message, stack or document text crossing to the renderer.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatch {
  return async (channel, request) => {
    if (!isApiChannel(channel) || !Object.hasOwn(handlers, channel)) {
      return errorEnvelope({ code: API_ERROR_CODES.channel });
    }
    const entry = API[channel];
    let parsed: ReturnType<typeof entry.request.safeParse>;
    try {
      parsed = entry.request.safeParse(request);
    } catch {
      // A body nested deeper than the parser's recursion (RangeError): refused like any bad body.
      return errorEnvelope({ code: API_ERROR_CODES.request });
    }
    if (!parsed.success) {
      return errorEnvelope({ code: API_ERROR_CODES.request, issues: fieldIssues(parsed.error, request) });
    }
    options.onCall?.(channel);
    let value: unknown;
    try {
      const handler = handlers[channel] as (r: unknown) => Promise<unknown> | unknown;
      value = await handler(parsed.data);
    } catch (error) {
      if (error instanceof FieldIssuesError) {
        return errorEnvelope({ code: error.code, issues: [...error.issues] });
      }
      if (isAppError(error)) {
        return errorEnvelope(error.params === undefined ? { code: error.code } : { code: error.code, params: error.params });
      }
      options.onInternalError?.(channel, error);
      return errorEnvelope({ code: API_ERROR_CODES.internal });
    }
    const checked = entry.response.safeParse(value);
    if (!checked.success) {
      options.onInternalError?.(channel, new Error(`response of ${channel} does not match the contract: ${checked.error.issues.map((i) => `${i.path.join('.')} ${i.code}`).join('; ')}`));
      return errorEnvelope({ code: API_ERROR_CODES.internal });
    }
    return okEnvelope(checked.data);
  };
}
