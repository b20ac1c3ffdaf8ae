// fetch for the sync and update servers when the IT policy names a CA bundle
// (caBundlePath): the clinic's own CA is trusted in addition to Node's root certificates,
// for this client only (no process-wide NODE_EXTRA_CA_CERTS, which the packaged app's
// fuses would not honour anyway).
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

export type FetchLike = typeof fetch;

export function fetchTrustingCa(caPem: string): FetchLike {
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, caPem] } });
  return ((input: Parameters<FetchLike>[0], init?: Parameters<FetchLike>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as FetchLike;
}
