// The interactive terminal UI (`codex [PROMPT]`, `codex resume`): Ink + React over the same agent
// core as `codex exec`.
import React from 'react';
import { render } from 'ink';
import { findSessionId, lastSessionId } from '../agent/index.js';
import { codexHome, settleSearches } from '../../rollout/index.js';
import { App } from './app.js';
import { Picker } from './picker.js';
import { SessionController } from './controller.js';
import { openWorkspace, type UiOptions } from './setup.js';
import { yogaReady } from './yoga-ready.js';
import { BRACKETED_PASTE_OFF } from './composer.js';
import type { FirstPage } from './early/index.js';

export { SessionController, type Entry, type UiState, type ApprovalChoice } from './controller.js';
export { openWorkspace, type UiOptions, type Workspace } from './setup.js';
export { App, Pager } from './app.js';
export { Picker, rowOfSummary, localTime, type PickerRow } from './picker.js';
export { Composer } from './composer.js';
export { decodeKey, decodeKeys, type ComposerKey } from './keys.js';
export * as editor from './editor.js';
export { textWidth, graphemeWidth, graphemes } from './text-width.js';
export { DeferredWriter } from './deferred-writer.js';
export { EntryView, fold, displayCommand, tailRows } from './transcript.js';
export { fileDiff, type DiffLine } from './diff-lines.js';
export { completions, parseSlash, SLASH_COMMANDS } from './slash.js';
export { yogaReady } from './yoga-ready.js';
export { paintFirstPage, pickerScreen, ansiOf, colorOn, fitWidth, charWidth, type FirstPage } from './early/index.js';

export interface InteractiveOptions extends UiOptions {
  prompt?: string;
  /** `codex resume`: 'picker', the most recent ('last'), or an ID or name. */
  resume?: { kind: 'picker' } | { kind: 'last' } | { kind: 'id'; id: string };
  /** Env names set only for this process's own rendering (dropped from the commands' env). */
  uiOnlyEnv?: string[];
  /** The picker's first page, painted before this module was loaded (core/ui/early). */
  firstPage?: FirstPage;
}

export async function runInteractive(o: InteractiveOptions): Promise<number> {
  await yogaReady();
  if (o.resume?.kind === 'picker') {
    // The picker alone first, before the config, policy and provider are worked out (it needs only
    // the store): nothing is created until a session is chosen.
    const id = await pick(codexHome(), o.firstPage);
    if (!id) return 0;
    o = { ...o, resume: { kind: 'id', id } };
  }
  const ws = openWorkspace(o);
  for (const k of o.uiOnlyEnv ?? []) delete ws.turnDeps.env[k];
  let session;
  if (o.resume?.kind === 'last') session = await ws.resumeSession(lastSessionId(ws.codexHome));
  else if (o.resume?.kind === 'id') session = await ws.resumeSession(findSessionId(ws.codexHome, o.resume.id));
  else session = await ws.newSession();
  const c = new SessionController(ws, session);
  for (const w of ws.warnings) c.info(w, 'warning');
  if (ws.keyError) c.info(ws.keyError, 'error');
  if (o.resume) c.info(`resumed session ${session.threadId} (${session.history.length} history items)`);
  // A narrower terminal rewraps what is on screen, which Ink's own redraw cannot erase: clear it
  // (before Ink's resize handler runs); the App then prints the transcript again.
  const clear = () => process.stdout.write('\x1b[2J\x1b[3J\x1b[H');
  process.stdout.on('resize', clear);
  const app = render(
    React.createElement(App, {
      controller: c,
      home: ws.codexHome,
      initialPrompt: o.prompt,
      resume: (id) => c.switchTo(() => ws.resumeSession(id)),
      newSession: () => c.switchTo(() => ws.newSession()),
    }),
    { exitOnCtrlC: false, patchConsole: false },
  );
  // The composer turns bracketed paste on while it has the keys; off in any case when we leave.
  const pasteOff = () => process.stdout.write(BRACKETED_PASTE_OFF);
  process.once('exit', pasteOff);
  await app.waitUntilExit();
  pasteOff();
  process.off('exit', pasteOff);
  process.stdout.off('resize', clear);
  await c.close();
  // An empty session left nothing behind, so there is nothing to continue.
  if (c.recorded) process.stdout.write(`session ${c.state.session.threadId} saved; continue with: codex resume ${c.state.session.threadId}\n`);
  return 0;
}

/** The resume picker on its own; the chosen session's id, or undefined (Esc). */
async function pick(home: string, first?: FirstPage): Promise<string | undefined> {
  let chosen: string | undefined;
  first?.handOff();
  // As for the session screen: a narrower terminal rewraps what is on screen, which Ink's redraw
  // cannot erase; clear it before Ink's resize handler draws the picker again.
  const clear = () => process.stdout.write('\x1b[2J\x1b[H');
  process.stdout.on('resize', clear);
  const app = render(
    React.createElement(Picker, {
      home,
      ...(first ? { initialRows: first.rows } : {}),
      onSelect: (id: string) => {
        chosen = id;
        app.unmount();
      },
      onCancel: () => app.unmount(),
    }),
    // Ink's frame throttle is a debounce: a frame waits 1000/maxFps ms after the last update, so a
    // search hit found just after the query's frame would wait ~33 ms at Ink's default 30.
    { exitOnCtrlC: false, patchConsole: false, maxFps: 120 },
  );
  await app.waitUntilExit();
  process.stdout.off('resize', clear);
  // A keystroke's search may still be reading (its helper thread inside koffi): the process may end
  // next (Esc), which must not catch it there.
  await settleSearches();
  return chosen;
}
