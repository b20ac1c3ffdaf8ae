import { AppError } from '../../../../../shared/src/errors';

/** Why an image cannot be shown; each code has fr/de/en texts in the imaging catalogue. */
export const IMAGING_DISPLAY_CODES = [
  'IMAGING_DISPLAY_UNSUPPORTED_SYNTAX',
  'IMAGING_DISPLAY_NOT_AN_IMAGE',
  'IMAGING_DISPLAY_CORRUPT',
  'IMAGING_DISPLAY_TRUNCATED',
  'IMAGING_DISPLAY_UNREADABLE',
  'IMAGING_DISPLAY_UNSUPPORTED_PIXELS',
  'IMAGING_DISPLAY_FRAME_NOT_FOUND',
] as const;
export type ImagingDisplayCode = (typeof IMAGING_DISPLAY_CODES)[number];

/** The rejection of a vault image load: a catalogue code (and params), never a raw codec message. */
export class ImagingDisplayError extends AppError<ImagingDisplayCode> {
  constructor(
    code: ImagingDisplayCode,
    params?: Readonly<Record<string, string | number>>,
    options?: { cause?: unknown },
  ) {
    super(code, params, options);
    this.name = 'ImagingDisplayError';
  }
}

export function isImagingDisplayError(value: unknown): value is ImagingDisplayError {
  return value instanceof ImagingDisplayError;
}
