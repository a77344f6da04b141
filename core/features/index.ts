export { FEATURES, findFeature, COMPRESSION_FEATURE, type FeatureSpec, type FeatureStage } from './registry.js';
export { resolveFeatures, requireFeature, closeNames, type FeatureSet, type FeatureState } from './resolve.js';
export { startBackgroundCompression, BACKGROUND_INTERVAL_MS, type BackgroundStart, type BackgroundConfig } from './background.js';
