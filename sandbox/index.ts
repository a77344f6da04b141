export * from './types.js';
export * from './policy/index.js';
