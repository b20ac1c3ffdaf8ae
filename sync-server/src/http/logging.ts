import type { DestinationStream, LoggerOptions } from 'pino';
import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Paths removed from every log line. Request logs carry method, URL and status only (no
 * headers, no bodies); these paths catch what a careless log call could add: tokens,
 * passwords, documents (health data), audit details.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'password',
  'accessToken',
  'refreshToken',
  'token',
  'body',
  'documents',
  'rows',
  'newDocumentState',
  'assumedMasterState',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.body',
  '*.documents',
  '*.rows',
  '*.newDocumentState',
  '*.assumedMasterState',
];

export function createLogger(level: LoggerOptions['level'], destination?: DestinationStream): FastifyBaseLogger {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'sync-server' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      // Fastify's default request serializer plus nothing: no headers, no query values.
      req: (req: { method?: string; routeOptions?: { url?: string }; url?: string; id?: string }) => ({
        method: req.method,
        route: req.routeOptions?.url,
        id: req.id,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
  return (destination ? pino(options, destination) : pino(options)) as unknown as FastifyBaseLogger;
}
