import type { Messages } from '../app-error';

export const IDENTIFIERS_MESSAGES = {
} as const satisfies Record<string, Messages>;
