import type { z } from 'zod';
import type { ImagingStudyViewSchema } from '../../../../../shared/src/api/imaging-contract';
import type { ErrorParams, ErrorPayload } from '../../../../../shared/src/errors';

export type StudyView = z.infer<typeof ImagingStudyViewSchema>;
export type SeriesView = StudyView['series'][number];
export type InstanceView = SeriesView['instances'][number];

/** One row of the tag browser. */
export type TagRow = {
  readonly tag: string;
  readonly vr: string;
  readonly name: string;
  readonly value: string;
};

/**
 * Where the viewer's images come from: the `vault:` image loader registered with
 * Cornerstone (the pipeline), and the parsed data set of an instance for the tag browser.
 * The viewer itself knows neither transports nor codecs.
 */
export type ViewerImageSource = {
  /** Registers the loader with Cornerstone; called before the first load, may be called again. */
  ensureRegistered(): void;
  /** The tags of the instance an image id belongs to (after the image was loaded). */
  tags(imageId: string): Promise<readonly TagRow[]>;
};

/** The catalogue code of whatever a load threw (a typed pipeline error, an API error, anything). */
export function displayErrorOf(error: unknown): ErrorPayload {
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; params?: unknown; payload?: unknown; error?: unknown };
    if (typeof e.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.code)) {
      return typeof e.params === 'object' && e.params !== null
        ? { code: e.code, params: e.params as ErrorParams }
        : { code: e.code };
    }
    // Cornerstone wraps a loader's rejection in { error } for some paths.
    if (e.error !== undefined && e.error !== error) return displayErrorOf(e.error);
  }
  return { code: 'IMAGING_DISPLAY_UNREADABLE' };
}
