import type { Messages } from '../app-error';

export const SYNC_MESSAGES = {
} as const satisfies Record<string, Messages>;
