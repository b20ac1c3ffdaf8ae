import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import type { UserRole } from '../../../shared/src/sync/protocol';
import type { ServerServices, SyncApp } from '../app';
import { buildApp } from '../app';
import { CLI_ACTOR } from '../auth/auth-service';
import type { ServerConfig } from '../config';
import { DEFAULT_CONFIG } from '../config';
import type { Engine } from '../db/engine';
import type { Clock } from '../types';

export type TestServer = SyncApp & {
  readonly url: string;
  close(): Promise<void>;
};

/** The real app listening on 127.0.0.1 on a free port. */
export async function startTestServer(
  engine: Engine,
  options: { clock?: Clock; config?: Partial<ServerConfig>; logDestination?: DestinationStream; runJobs?: boolean } = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-server-data-'));
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    dataDir,
    logLevel: options.logDestination ? 'info' : 'silent',
    ...options.config,
  };
  const built = await buildApp({
    engine,
    config,
    runJobs: options.runJobs ?? false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
  });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const address = built.app.server.address() as AddressInfo;
  return {
    ...built,
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await built.app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestUser = {
  readonly userId: string;
  readonly username: string;
  readonly role: UserRole;
  readonly rpps: string | undefined;
  readonly workstationId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
};

let counter = 0;
const PASSWORD = 'correct horse battery staple';

/** A fresh RPPS-shaped number (11 digits). */
export function rppsFor(n: number): string {
  return String(10000000000 + n).slice(0, 11);
}

/** Creates a user and a workstation with the real identity service and signs in. */
export async function signIn(services: ServerServices, role: UserRole, username?: string): Promise<TestUser> {
  counter += 1;
  const name = username ?? `${role}${counter}`;
  const rpps = role === 'practitioner' ? rppsFor(counter) : undefined;
  const user = await services.auth.createUser(
    { username: name, displayName: name, role, ...(rpps ? { rpps } : {}), password: PASSWORD },
    CLI_ACTOR,
  );
  const workstation = await services.auth.registerWorkstation(`ws-${name}`, CLI_ACTOR);
  const session = await services.auth.login(
    { username: name, password: PASSWORD, workstationId: workstation.id },
    { ip: '127.0.0.1' },
  );
  return {
    userId: user.id,
    username: name,
    role,
    rpps,
    workstationId: workstation.id,
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
  };
}

/** JSON POST with a bearer token; resolves with status and parsed body. */
export async function post(
  url: string,
  token: string | undefined,
  body: unknown,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: returned as text for the assertion to show.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** A live stream read with eventsource-parser: the events received so far, by name and data. */
export async function openEventStream(
  url: string,
  token: string,
): Promise<{ events: { event: string; data: string }[]; close(): void }> {
  const { createParser } = await import('eventsource-parser');
  const controller = new AbortController();
  const response = await fetch(`${url}/v1/replication/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`stream HTTP ${response.status}`);
  const events: { event: string; data: string }[] = [];
  const parser = createParser({ onEvent: (e) => events.push({ event: e.event ?? 'message', data: e.data }) });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted
    }
  })();
  return { events, close: () => controller.abort() };
}
