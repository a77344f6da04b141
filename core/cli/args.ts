// The argv parser and --help renderer live in protocol/ (cli-args.ts) so apply_patch (patch/) uses the
// same table-driven parser as every codex subcommand; this is the CLI's import point.
export {
  flagBool,
  flagList,
  flagString,
  HelpRequested,
  hint,
  parseArgs,
  renderHelp,
  type CommandHelp,
  type FlagSpec,
  type ParsedArgs,
} from '../../protocol/index.js';
