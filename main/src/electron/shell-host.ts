import type { HostTransportTarget } from './ipc';

export type ShellHost = HostTransportTarget & { close(): Promise<void> };

/** Placeholder until main/src/host lands. */
export async function startShellHost(_options: { dataDir: string; env: Readonly<Record<string, string | undefined>> }): Promise<ShellHost> {
  throw new Error('host not available yet');
}
