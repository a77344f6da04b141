export { runCodexCli, versionLine, helpText } from './cli/index.js';
