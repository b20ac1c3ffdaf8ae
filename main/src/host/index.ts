export type { Host, HostOptions } from './host';
export { createHost, errorSummary, HOST_FILES } from './host';
export type { Dispatch, DispatcherOptions, Handlers } from './dispatcher';
export { createDispatcher } from './dispatcher';
export type { HostEvents } from './events';
export { createHostEvents } from './events';
export type { IdleTimers } from './idle-lock';
export type { Envelope } from '../../../shared/src/api';
