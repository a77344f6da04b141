export * from './types.js';
export * from './policy/index.js';
export { decideRoute, requireRoute, landlockCanEnforce, type PlatformFacts, type Backend, type RouteDecision } from './route.js';
export * from './windows/index.js';
export * from './seatbelt/index.js';
export * from './linux/index.js';
