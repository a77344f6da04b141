export { decideWindows, WINDOWS_PROTECTED_NAMES, type WindowsDecision, type WindowsBackend, type WindowsFacts, type WindowsRoots } from './decision.js';

