/** What the top-level `codex` parser hands to a subcommand. */
export interface CliContext {
  /** Subcommand args (after the subcommand name). */
  args: string[];
  /** Global `-c key=value` overrides given before the subcommand. */
  overrides: string[];
  /** Global `--enable NAME` / `--disable NAME` given before the subcommand. */
  enable: string[];
  disable: string[];
}

export type SubcommandMain = (ctx: CliContext) => Promise<number>;

/** A line of a subcommand table (`codex …`, `codex sessions …`). */
export interface CommandEntry {
  name: string;
  summary: string;
  /** Not listed in --help. */
  hidden?: boolean;
  /** Loaded only when the subcommand runs. */
  load: () => Promise<SubcommandMain>;
  /** V8 flags for the process that runs this command to its end, set before the command loads. */
  v8Flags?: string;
}
