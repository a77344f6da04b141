// Plain data shapes of a parsed config.toml (what smol-toml returns).
export type ConfigValue = string | number | bigint | boolean | Date | ConfigValue[] | ConfigTable;
export interface ConfigTable {
  [key: string]: ConfigValue;
}
