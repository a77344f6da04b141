// `codex resume` before Ink is loaded: Ink, React and yoga's wasm take longer to load than the
// store takes to list its first page, so that page is painted at once with plain writes, from
// the very lines Ink's Picker draws (view.ts). Ink then takes over: its first frame erases the
// painted page in the same write, so nothing flickers.
import { codexHome, listSessions } from '../../../rollout/index.js';
import { FIRST_PAGE_LIMIT, ansiOf, pageSizeFor, pickerScreen, rowOfSummary, type PickerRow } from './view.js';

export interface FirstPage {
  /** The rows listed (Ink's Picker starts from them instead of listing again). */
  rows: PickerRow[];
  /** Call right before Ink renders: its first frame starts where the painted page started. */
  handOff(): void;
}

/**
 * Lists the active sessions' first page and paints it on `out` (a terminal). Undefined when the
 * store cannot be listed: the Picker then lists it itself and shows the error.
 */
export async function paintFirstPage(home = codexHome(), out: NodeJS.WriteStream = process.stdout, input: NodeJS.ReadStream = process.stdin): Promise<FirstPage | undefined> {
  let rows: PickerRow[];
  try {
    rows = (await listSessions(home, { scope: 'active', limit: Math.max(pageSizeFor(out.rows), FIRST_PAGE_LIMIT) })).items.map(rowOfSummary);
  } catch {
    return undefined;
  }
  // Keys typed before Ink reads stdin: raw mode now, so the terminal neither echoes them over the
  // page nor turns Ctrl-C into a signal; Ink reads them once it starts.
  if (input.isTTY) {
    input.setRawMode(true);
    process.once('exit', () => input.isTTY && input.setRawMode(false));
  }
  let painted = 0;
  const paint = () => {
    const lines = pickerScreen({ query: '', archived: false, rows, busy: false, sel: 0 }, out.columns ?? 80, pageSizeFor(out.rows));
    out.write(ansiOf(lines, colorOn(process.env)));
    painted = lines.length;
  };
  // A resize rewraps what is on screen: paint again on a cleared screen (the page then starts at
  // the top, `painted` lines above the cursor as before).
  const onResize = () => {
    out.write('\x1b[2J\x1b[H');
    paint();
  };
  paint();
  out.on('resize', onResize);
  // yoga's wasm (Ink's layout) compiles on a background thread meanwhile (scripts/yoga-async.mjs).
  void import('yoga-layout').catch(() => undefined);
  return {
    rows,
    handOff() {
      out.off('resize', onResize);
      // Ink's first frame is the first write holding a line end (before it come only the cursor
      // hide and the synchronized-update mark): back to the page's first line, erase down, then the frame.
      const erase = `\r\x1b[${painted}A\x1b[J`;
      const write = out.write;
      out.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
        if (typeof chunk === 'string' && chunk.includes('\n')) {
          out.write = write;
          chunk = erase + chunk;
        }
        return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof out.write;
    },
  };
}

/** Whether Ink's colour library styles text (what it decides from the same env, for a terminal). */
export function colorOn(env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb' || env.NO_COLOR) return false;
  if (env.COLORTERM) return true;
  return /-256(color)?$|^screen|^xterm|^vt100|^vt220|^rxvt|color|ansi|cygwin|linux/i.test(env.TERM ?? '');
}
