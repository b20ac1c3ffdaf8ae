/**
 * Names of the API's channels and events, with no dependency (no zod), so the preload
 * script can allow-list them without bundling the schemas. `contract.test.ts` checks that
 * these lists are exactly the keys of API and EVENTS in contract.ts.
 */

/** The imaging channels (schemas in imaging-contract.ts, merged into API and EVENTS by contract.ts). */
export const IMAGING_API_CHANNELS = [
  'imaging:import-start',
  'imaging:import-status',
  'imaging:import-cancel',
  'imaging:import-confirm',
  'imaging:studies',
] as const;
export const IMAGING_API_EVENTS = ['imaging:import-progress'] as const;

/** Audit for people and identity vigilance (schemas in audit-contract.ts, merged into API by contract.ts). */
export const AUDIT_API_CHANNELS = [
  'audit:verify',
  'audit:checkpoint',
  'audit:break-glass',
  'audit:break-glass-review',
  'audit:export',
  'audit:patient-accesses',
  'identity:duplicates',
  'identity:merges',
  'identity:merge',
  'identity:unmerge',
] as const;

/** HL7 v2 import, its quarantine list and patient exports (schemas in interop-contract.ts, merged into API by contract.ts). */
export const INTEROP_API_CHANNELS = [
  'interop:import',
  'interop:quarantine-list',
  'interop:quarantine-attach',
  'interop:quarantine-reject',
  'interop:server-inbox',
  'patients:export',
] as const;

/** Patients' rights (schemas in rights-contract.ts, merged into API by contract.ts). */
export const RIGHTS_API_CHANNELS = [
  'rights:status',
  'rights:erasure-request',
  'rights:erasure-requests',
  'rights:restrict',
  'rights:lift-restriction',
  'rights:hold',
  'rights:lift-hold',
  'rights:rectify',
  'rights:rectifications',
  'rights:expired',
  'rights:register',
  'rights:restricted',
] as const;

export const API_CHANNELS = [
  'app:info',
  'setup:state',
  'vault:create',
  'vault:unlock',
  'vault:lock',
  'vault:status',
  'profile:get',
  'profile:setup-offline',
  'session:login',
  'session:logout',
  'settings:get',
  'settings:set',
  'settings:policy',
  'app:unsaved-work',
  'activity:ping',
  'patients:search',
  'patients:get',
  'patients:save',
  'patients:check',
  'encounters:list',
  'encounters:get',
  'encounters:save',
  'encounters:sign',
  'encounters:addendum',
  'timeline:get',
  'observations:vitals',
  'sync:status',
  'sync:retry',
  'conflicts:list',
  'conflicts:resolve',
  'audit:search',
  ...IMAGING_API_CHANNELS,
  ...INTEROP_API_CHANNELS,
  ...AUDIT_API_CHANNELS,
  ...RIGHTS_API_CHANNELS,
] as const;
export type ApiChannelName = (typeof API_CHANNELS)[number];

export const API_EVENTS = [
  'patients:changed',
  'encounters:changed',
  'sync:status',
  'conflicts:changed',
  'session:changed',
  'settings:changed',
  ...IMAGING_API_EVENTS,
] as const;
export type ApiEventName = (typeof API_EVENTS)[number];

const CHANNEL_SET: ReadonlySet<string> = new Set(API_CHANNELS);
const EVENT_SET: ReadonlySet<string> = new Set(API_EVENTS);

export function isApiChannel(name: unknown): name is ApiChannelName {
  return typeof name === 'string' && CHANNEL_SET.has(name);
}

export function isApiEvent(name: unknown): name is ApiEventName {
  return typeof name === 'string' && EVENT_SET.has(name);
}
