export { loadConfig, layerConfig, readConfigFile, type LoadConfigOptions, type LoadedConfig } from './load.js';
export { resolveCodexHome, configPathFor } from './home.js';
export { parseOverride, parseOverrideValue, splitKeyPath, setPath, getPath, deepMerge, isTable, type ConfigOverride } from './overrides.js';
export { parseConfigText } from './parse.js';
export { editConfigFile, setFeatureInConfig } from './edit.js';
export { compressionSettings, DEFAULT_COMPRESSION, type CompressionSettings } from './compression.js';
export type { ConfigTable, ConfigValue } from './types.js';
export { resolveConfiguredPolicy, windowsRefusal, type PolicyConfig } from './policy.js';
