export { decideWindows, type WindowsDecision, type WindowsRoots } from './decision.js';
