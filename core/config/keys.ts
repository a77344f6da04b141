// Keys Codex 0.169 recognises, so that a key neither program knows draws the one warning 0.169 gives
// ("Codex is ignoring N unrecognized configuration settings") and a key only the reference uses
// (mcp_servers, tui, notify, …) stays silent. Taken from 0.169's ConfigToml field names (read from
// the reference binary) and checked by running it; nested tables are checked only where this
// program owns the whole schema.
import { findFeature } from '../features/index.js';
import { isTable } from './overrides.js';
import type { ConfigTable } from './types.js';

const TOP_LEVEL = new Set([
  // read by codex-ts
  'model', 'model_provider', 'model_providers', 'model_context_window', 'model_reasoning_effort', 'model_reasoning_summary',
  'approval_policy', 'sandbox_mode', 'sandbox_workspace_write', 'default_permissions', 'permissions', 'profile', 'profiles',
  'features', 'project_doc_max_bytes', 'shell_environment_policy',
  // codex-ts extensions (0.169 warns about them; see README "Config and feature flags")
  'rollout_compression', 'sessions',
  // known to 0.169, not used here
  'review_model', 'model_auto_compact_token_limit', 'model_auto_compact_token_limit_scope', 'model_post_turn_compact_threshold_percent',
  'auto_review', 'allow_login_shell', 'allow_symlinked_codex_home', 'notify', 'instructions', 'developer_instructions',
  'include_permissions_instructions', 'include_apps_instructions', 'include_collaboration_mode_instructions', 'include_environment_context',
  'include_environment_context_time', 'model_instructions_file', 'compact_prompt', 'experimental_compact_prompt_file',
  'forced_chatgpt_workspace_id', 'forced_login_method', 'cli_auth_credentials_store', 'mcp_enterprise_managed_auth',
  'mcp_oauth_credentials_store', 'mcp_oauth_callback_port', 'mcp_oauth_callback_url', 'mcp_optional_startup_grace_ms', 'mcp_servers',
  'project_doc_fallback_filenames', 'tool_output_token_limit', 'background_terminal_max_timeout', 'thread_unload_delay_secs',
  'js_repl_node_path', 'js_repl_node_module_dirs', 'history', 'sqlite_home', 'log_dir', 'file_opener', 'tui', 'hide_agent_reasoning',
  'show_raw_agent_reasoning', 'plan_mode_reasoning_effort', 'model_verbosity', 'model_catalog_json', 'apps_mcp_product_sku',
  'responses_api_metadata', 'orchestrator', 'cloud', 'openai_base_url', 'chatgpt_base_url', 'audio', 'experimental_realtime_ws_base_url',
  'experimental_realtime_webrtc_call_base_url', 'experimental_realtime_ws_model', 'experimental_realtime_ws_backend_prompt',
  'experimental_realtime_ws_startup_context', 'experimental_realtime_start_instructions', 'experimental_thread_store_endpoint',
  'experimental_thread_store', 'agents', 'suppress_unstable_features_warning', 'ghost_snapshot', 'project_root_markers',
  'check_for_update_on_startup', 'analytics', 'notice', 'experimental_use_unified_exec_tool', 'oss_provider', 'approvals_reviewer',
  'apps', 'disable_paste_burst', 'feedback', 'hooks', 'marketplaces', 'memories', 'otel', 'personality', 'plugins', 'projects',
  'realtime', 'service_tier', 'skills', 'tools', 'web_search', 'windows',
]);

/** Tables whose every key this program knows (a key elsewhere in them is a typo). */
const NESTED: Record<string, ReadonlySet<string>> = {
  sandbox_workspace_write: new Set(['writable_roots', 'network_access', 'exclude_tmpdir_env_var', 'exclude_slash_tmp']),
  rollout_compression: new Set(['min_age_days', 'max_run_seconds', 'heartbeat_seconds', 'stale_lock_seconds']),
  sessions: new Set(['thread_lock_dir', 'writer_lock_wait_seconds']),
};

/** Key paths of `raw` that nothing reads: unknown top-level keys, unknown keys of owned tables, unknown feature names. */
export function unknownKeys(raw: ConfigTable): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (!TOP_LEVEL.has(k)) {
      out.push([k]);
      continue;
    }
    const known = NESTED[k];
    if (known && isTable(v)) for (const sub of Object.keys(v)) if (!known.has(sub)) out.push([k, sub]);
    if (k === 'features' && isTable(v)) for (const name of Object.keys(v)) if (!findFeature(name)) out.push([k, name]);
  }
  return out;
}
