import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiChannel, ApiEvent, ApiEventPayload, ApiRequest, ApiResponse, Envelope } from '../../../shared/src/api';
import { MIN_KDF } from '../vault';
import type { Host, HostOptions } from './host';
import { createHost } from './host';
import type { IdleTimers } from './idle-lock';

/** For the tests of this folder only. */

export function tempDataDir(): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-host-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A host on a fresh data folder with a new vault, signed in to a sync server: the set-up of
 * the tests that run a host against a real server. `options` adds to (or replaces) the
 * host's options; the data folder and the fast test key derivation are this helper's.
 */
export async function signedInHost(login: {
  readonly serverUrl: string;
  readonly username: string;
  readonly password: string;
  readonly workstationId: string;
  readonly passphrase: string;
  readonly options?: Partial<Omit<HostOptions, 'dataDir' | 'kdf'>>;
}): Promise<{ host: Host; data: { dir: string; cleanup(): void } }> {
  const data = tempDataDir();
  const host = createHost({ mode: 'electron', ...login.options, dataDir: data.dir, kdf: MIN_KDF });
  await call(host, 'vault:create', { passphrase: login.passphrase });
  await call(host, 'session:login', {
    serverUrl: login.serverUrl,
    username: login.username,
    password: login.password,
    workstationId: login.workstationId,
  });
  return { host, data };
}

export type ManualTimers = IdleTimers & { fire(): void; readonly pending: number };

/** Timers fired by the test: the idle lock without waiting minutes. */
export function manualTimers(): ManualTimers {
  const timers = new Map<number, () => void>();
  let next = 1;
  return {
    set(cb) {
      const id = next++;
      timers.set(id, cb);
      return id;
    },
    clear(handle) {
      timers.delete(handle as number);
    },
    fire() {
      const due = [...timers.entries()];
      timers.clear();
      for (const [, cb] of due) cb();
    },
    get pending() {
      return timers.size;
    },
  };
}

/** Calls a channel and returns its value, or throws with the envelope's error code. */
export async function call<C extends ApiChannel>(host: Host, channel: C, request: ApiRequest<C>): Promise<ApiResponse<C>> {
  const env: Envelope = await host.dispatch(channel, request);
  if (!env.ok) throw Object.assign(new Error(`${channel}: ${env.error.code}`), { envelope: env });
  return env.value as ApiResponse<C>;
}

/** The error of a call that must fail. */
export async function failure(host: Host, channel: ApiChannel, request: unknown): Promise<Extract<Envelope, { ok: false }>['error']> {
  const env = await host.dispatch(channel, request);
  if (env.ok) throw new Error(`${channel} succeeded`);
  return env.error;
}

export type Recorded = { event: ApiEvent; payload: ApiEventPayload<ApiEvent> }[];

export function recordEvents(host: Host): Recorded {
  const seen: Recorded = [];
  host.events.on((event, payload) => seen.push({ event, payload }));
  return seen;
}
