export * from './errors.js';
export * from './version.js';
export * from './home.js';
export * from './cli-args.js';
export * from './stdio.js';
export * from './config-origin.js';
export * from './durable.js';
export * from './shell-quote.js';
