export * from './message';
export * from './datetime';
export * from './identity';
export * from './lab';
export * from './write';
