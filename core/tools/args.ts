// Tool arguments are model-written JSON: parse at the boundary, report problems back as tool output.

export class ToolArgError extends Error {}

type Obj = Record<string, unknown>;

export function parseArgsObject(text: string): Obj {
  let v: unknown;
  try {
    v = JSON.parse(text || '{}');
  } catch (e) {
    throw new ToolArgError(`failed to parse function arguments: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ToolArgError('function arguments must be a JSON object');
  return v as Obj;
}

export function optString(o: Obj, k: string): string | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ToolArgError(`'${k}' must be a string`);
  return v;
}

export function reqString(o: Obj, k: string): string {
  const v = optString(o, k);
  if (v === undefined) throw new ToolArgError(`missing required argument '${k}'`);
  return v;
}

export function optNumber(o: Obj, k: string): number | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ToolArgError(`'${k}' must be a number`);
  return v;
}

export function optBool(o: Obj, k: string): boolean | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ToolArgError(`'${k}' must be a boolean`);
  return v;
}

export function optStringArray(o: Obj, k: string): string[] | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ToolArgError(`'${k}' must be an array of strings`);
  return v as string[];
}
