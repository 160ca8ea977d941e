export * from './types.ts';
export * from './diff/index.ts';
export * from './health/index.ts';
export * from './sync/index.ts';
export * from './policy/index.ts';
