import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponseSchema } from '../../../shared/src/sync/protocol';
import type { Engine } from '../db/engine';
import type { Metrics } from './metrics';

export type HealthOptions = {
  readonly engine: Engine;
  readonly metrics: Metrics;
  readonly closing: () => boolean;
  /** The bearer token /metrics requires; undefined: /metrics is disabled (404). */
  readonly metricsToken: string | undefined;
  /** Gauges read at scrape time. */
  readonly gauges: () => Promise<Record<string, { help: string; value: number }>>;
};

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time comparison of the presented bearer token with the configured one. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * /healthz and /readyz stay open: they say "up" or "ready" and nothing else, and load
 * balancers probe them without credentials. /metrics tells request rates per route, the
 * replication head and the audit chain length: only a scraper holding METRICS_TOKEN gets it.
 */
export async function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/healthz',
    {
      schema: { summary: 'The process is up', tags: ['operations'], response: { 200: z.strictObject({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );
  typed.get(
    '/readyz',
    {
      schema: {
        summary: 'The database answers and every migration is applied',
        tags: ['operations'],
        response: { 200: z.strictObject({ status: z.literal('ready') }), 503: ErrorResponseSchema },
      },
    },
    async (_request, reply) => {
      if (options.closing()) return reply.code(503).send({ code: 'SYNC_SHUTTING_DOWN' });
      if (!(await options.engine.ready())) return reply.code(503).send({ code: 'SYNC_DATABASE_UNAVAILABLE' });
      return { status: 'ready' as const };
    },
  );
  typed.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus text: requests, latencies, replication lag, audit chain length',
        tags: ['operations'],
        produces: ['text/plain'],
        security: [{ bearerAuth: [] }],
        response: { 200: z.string(), 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const expected = options.metricsToken;
      if (expected === undefined) return reply.code(404).send({ code: 'SYNC_METRICS_DISABLED' });
      if (!bearerMatches(request.headers.authorization, expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ code: 'SYNC_METRICS_UNAUTHORIZED' });
      }
      const text = options.metrics.render(await options.gauges());
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
    },
  );
}
