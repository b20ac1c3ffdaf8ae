import type { Messages } from '../app-error';

export const AUTH_MESSAGES = {
} as const satisfies Record<string, Messages>;
