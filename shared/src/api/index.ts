export * from './channels';
export * from './contract';
export * from './envelope';
export * from './imaging-contract';
export * from './audit-contract';
export * from './interop-contract';
export * from './rights-contract';
