export { decideWindows, type WindowsDecision, type WindowsBackend } from './decision.js';
