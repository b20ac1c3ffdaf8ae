import { randomUUID } from 'node:crypto';
import type { Role } from '../../../shared/src/schemas';
import type { ClinicDatabase } from '../db/clinic-database';

/** Who is acting: the workstation's profile (server user or local practitioner). */
export type Actor = {
  readonly userId: string;
  readonly role: Exclude<Role, 'system'>;
  readonly displayName: string;
  readonly rpps?: string | undefined;
  /** This workstation's id on the sync server, or 'local' before it has one (audit events carry it). */
  readonly workstationId: string;
};

/** Milliseconds since the epoch; tests pass a fake. */
export type Clock = { now(): number };
export const systemClock: Clock = { now: () => Date.now() };

/** The actor now, or throws APP_PROFILE_REQUIRED when the workstation has none yet. */
export type ActorProvider = () => Actor;

export type ServiceDeps = {
  readonly db: ClinicDatabase;
  readonly clock: Clock;
  readonly actor: ActorProvider;
  readonly newId?: () => string;
  /** Records frozen by a restriction (GDPR Art. 18, from the server's rights state): writes refused, reads flagged. */
  readonly restricted?: (patientId: string) => boolean;
  /** INS test mode: the test and demo INS OIDs are accepted (test platforms, training); refused otherwise. */
  readonly insTestMode?: boolean;
};

export const defaultNewId = (): string => randomUUID();

export const instantOf = (clock: Clock): string => new Date(clock.now()).toISOString();
