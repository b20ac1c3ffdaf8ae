export * from './instant';
export * from './paris';
