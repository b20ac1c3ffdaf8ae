export const LANGUAGES = ['fr', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One message per language; `{{name}}` placeholders are filled from the error's params. */
export type Messages = Readonly<Record<Language, string>>;
export type ErrorParams = Readonly<Record<string, string | number>>;

/** Plain, structured-cloneable form of an error: what crosses IPC, workers and HTTP. */
export type ErrorPayload<Code extends string = string> = {
  readonly code: Code;
  readonly params?: ErrorParams;
};

export type Result<T, Code extends string = string> =
  | { readonly ok: true; readonly value: T; readonly warnings?: readonly ErrorPayload<Code>[] }
  | { readonly ok: false; readonly error: ErrorPayload<Code>; readonly warnings?: readonly ErrorPayload<Code>[] };

export function ok<T, Code extends string = string>(
  value: T,
  warnings?: readonly ErrorPayload<Code>[],
): Result<T, Code> {
  return warnings && warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value };
}

export function err<Code extends string>(code: Code, params?: ErrorParams): Result<never, Code> {
  return { ok: false, error: params ? { code, params } : { code } };
}

/**
 * An error a user can meet. The message property is English and for logs only; what the
 * user sees comes from the catalogue through `translateError`.
 */
export class AppError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly params: ErrorParams | undefined;

  constructor(code: Code, params?: ErrorParams, options?: { cause?: unknown }) {
    super(code, options);
    this.name = 'AppError';
    this.code = code;
    this.params = params;
  }

  toPayload(): ErrorPayload<Code> {
    return this.params ? { code: this.code, params: this.params } : { code: this.code };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

export function interpolate(template: string, params: ErrorParams | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    const v = params?.[name];
    return v === undefined ? whole : String(v);
  });
}
