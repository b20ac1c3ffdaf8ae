import type { Messages } from '../app-error';

export const SYNC_CLIENT_MESSAGES = {
} as const satisfies Record<string, Messages>;
