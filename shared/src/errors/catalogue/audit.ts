import type { Messages } from '../app-error';

export const AUDIT_MESSAGES = {
} as const satisfies Record<string, Messages>;
