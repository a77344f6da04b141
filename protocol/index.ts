export * from './errors.js';
export * from './version.js';
