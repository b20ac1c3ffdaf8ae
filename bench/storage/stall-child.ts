import type { StallRequest } from './stall';
import { measureStall } from './stall';

// Child process of measureStallIsolated: one measurement, answered over IPC.
process.once('message', (raw: Omit<StallRequest, 'key'> & { key: number[] }) => {
  measureStall({ ...raw, key: new Uint8Array(raw.key) }).then(
    (result) => process.send?.({ ok: true, ...result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }, () => process.exit(1)),
  );
});
