export * from './bundle';
export * from './fr-core-checks';
