// What resolvePolicy takes: the config table, the CLI's sandbox flags and the environment.
import type { OsKind } from './compile.js';
import type { SandboxConfig, SandboxMode } from './config.js';

export interface CliSandboxInput {
  /** `-s/--sandbox MODE` */
  sandboxMode?: string;
  /** `--full-auto` (= `-s workspace-write`) */
  fullAuto?: boolean;
  /** `--permissions NAME` (= `-c default_permissions=NAME`, but conflicts with `-s`) */
  permissions?: string;
  /**
   * `--add-dir DIR` (relative to cwd): extra writable roots under workspace-write, extra workspace
   * roots for a profile (its `:workspace_roots` entries apply there too); ignored with a warning
   * under read-only / danger-full-access.
   */
  addDirs?: string[];
}

export interface ResolveInput {
  /**
   * The config's sandbox slice as core's typed config holds it (readSandboxConfig with origins).
   * With it, resolution follows 0.169's layering: a `sandbox_mode` set by a later layer than the file
   * (`-c`) beats the file's `default_permissions`, and relative `writable_roots` resolve against the
   * directory of the config.toml that sets them (cwd when `-c` sets them).
   */
  sandbox?: SandboxConfig;
  /** A bare config table instead of `sandbox` (tests, tools): parsed here, values have no origin: file precedence, roots relative to cwd. */
  config?: Record<string, unknown>;
  cli?: CliSandboxInput;
  cwd: string;
  /** Reads HOME and TMPDIR; defaults to process.env at call time. */
  env?: Record<string, string | undefined>;
  /** Defaults to the running platform. */
  os?: OsKind;
  /** Legacy mode when neither flags nor config choose one (0.169: read-only unless the project is trusted). */
  defaultMode?: SandboxMode;
  /**
   * Directory that relative `[sandbox_workspace_write].writable_roots` are resolved against. 0.169
   * resolves them against the directory of the config.toml that sets them (CODEX_HOME for the user
   * config) and against cwd for `-c` overrides. Defaults to that, from `sandbox`'s origins, else cwd.
   */
  relativeBase?: string;
}
