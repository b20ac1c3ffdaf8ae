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
  /** Gauges read at scrape time. */
  readonly gauges: () => Promise<Record<string, { help: string; value: number }>>;
};

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
        response: { 200: z.string() },
      },
    },
    async (_request, reply) => {
      const text = options.metrics.render(await options.gauges());
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
    },
  );
}
