// The argv parser and --help renderer live in protocol/ (cli-args.ts) so apply_patch (patch/) uses the
// same table-driven parser as every codex subcommand; this is the CLI's import point.
export {
  editDistance,
  flagBool,
  flagList,
  flagString,
  HELP_FLAG,
  HelpRequested,
  hint,
  parseArgs,
  renderHelp,
  type CommandHelp,
  type FlagKind,
  type FlagSpec,
  type ParsedArgs,
  type ParseOptions,
} from '../../protocol/index.js';
