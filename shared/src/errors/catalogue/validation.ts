import type { Messages } from '../app-error';

export const VALIDATION_MESSAGES = {
} as const satisfies Record<string, Messages>;
