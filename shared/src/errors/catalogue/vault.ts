import type { Messages } from '../app-error';

export const VAULT_MESSAGES = {
} as const satisfies Record<string, Messages>;
