import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../shared/src/errors';

/**
 * Nesting depth of a JSON text, found without parsing: a body nested thousands deep is
 * refused before JSON.parse or a validator recurses into it.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 125 || c === 93) depth -= 1;
  }
  return false;
}

/**
 * The only body parser: JSON (UTF-8), size-limited by Fastify's bodyLimit, depth-limited,
 * prototype-poisoning keys refused. Any other content type is answered 415 by Fastify.
 */
export function registerJsonBodyParser(app: FastifyInstance, maxDepth: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(new AppError('SYNC_BODY_INVALID', { path: '(body)' }), undefined);
        return;
      }
      if (jsonDepthExceeds(text, maxDepth)) {
        done(new AppError('SYNC_BODY_TOO_DEEP', { limit: maxDepth }), undefined);
        return;
      }
      try {
        const value: unknown = JSON.parse(text, (key, v: unknown) => {
          if (key === '__proto__' || key === 'constructor') throw new AppError('SYNC_BODY_INVALID', { path: key });
          return v;
        });
        done(null, value);
      } catch (error) {
        done(error instanceof AppError ? error : new AppError('SYNC_BODY_INVALID', { path: '(body)' }), undefined);
      }
    },
  );
}
