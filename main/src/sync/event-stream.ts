import type { EventSourceMessage } from 'eventsource-parser';
import { createParser } from 'eventsource-parser';

/**
 * Reads a Server-Sent Events body (Node 20 has fetch but no EventSource) and calls
 * `onEvent` for each complete event, in order. Resolves when the server ends the stream;
 * rejects when the connection breaks or `signal` aborts. A partial event at the end of a
 * broken stream is never delivered.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: EventSourceMessage) => void,
  signal?: AbortSignal,
): Promise<void> {
  const parser = createParser({ onEvent });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const abort = (): void => {
    void reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const { done, value } = await reader.read();
      if (done) {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        return;
      }
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    reader.releaseLock();
  }
}
