// Effective feature state: registry default, then the `[features]` table (after profile and -c), then --enable/--disable.
import { CodexError, editDistance } from '../../protocol/index.js';
import { FEATURES, findFeature, type FeatureSpec, type FeatureStage } from './registry.js';

export interface FeatureState {
  name: string;
  stage: FeatureStage;
  default: boolean;
  enabled: boolean;
  /** Where the effective value came from. */
  source: 'default' | 'config';
}

export interface FeatureSet {
  isEnabled(name: string): boolean;
  list(): FeatureState[];
  /** Names set in config that no registry entry knows (kept, ignored). */
  unknownConfigured: string[];
}

/** `table` is the `[features]` table of the effective config (anything non-boolean is ignored). */
export function resolveFeatures(table: unknown): FeatureSet {
  const configured = new Map<string, boolean>();
  const unknown: string[] = [];
  if (typeof table === 'object' && table !== null && !Array.isArray(table)) {
    for (const [k, v] of Object.entries(table as Record<string, unknown>)) {
      if (typeof v !== 'boolean') continue;
      if (findFeature(k)) configured.set(k, v);
      else unknown.push(k);
    }
  }
  const states = FEATURES.map((f): FeatureState => {
    const c = configured.get(f.name);
    return { name: f.name, stage: f.stage, default: f.default, enabled: c ?? f.default, source: c === undefined ? 'default' : 'config' };
  });
  const byName = new Map(states.map((s) => [s.name, s]));
  return {
    isEnabled: (name) => byName.get(requireFeature(name).name)!.enabled,
    list: () => states.map((s) => ({ ...s })),
    unknownConfigured: unknown,
  };
}

/** The registry entry, or UNKNOWN_FEATURE listing close names. */
export function requireFeature(name: string): FeatureSpec {
  const f = findFeature(name);
  if (f) return f;
  const close = closeNames(name);
  const tail = close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(', ')}?)` : ' (see `codex features list`)';
  throw new CodexError('UNKNOWN_FEATURE', `unknown feature flag '${name}'${tail}`);
}

function closeNames(name: string, max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return FEATURES.map((f) => ({ n: f.name, d: f.name.includes(name) && name.length >= 4 ? 1 : editDistance(name, f.name) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, max)
    .map((x) => x.n);
}
