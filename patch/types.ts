// The parsed form of a patch: tagged hunks, each chunk as the ordered lines of its body.

/** One body line of an update chunk: kept context, a removed line or an added line. */
export type ChunkLine = { kind: 'context' | 'remove' | 'add'; text: string };

export interface UpdateChunk {
  /** The `@@ text` header: the search moves to the line equal to it first. */
  header: string | undefined;
  lines: ChunkLine[];
  /** Ends with `*** End of File`: the old lines must be the end of the file. */
  endOfFile: boolean;
  /** 1-based line of the chunk's first line in the patch text. */
  patchLine: number;
}

export type Hunk =
  | { type: 'add'; path: string; contents: string; patchLine: number }
  | { type: 'delete'; path: string; patchLine: number }
  | { type: 'update'; path: string; movePath: string | undefined; chunks: UpdateChunk[]; patchLine: number };

export interface ParsedPatch {
  hunks: Hunk[];
  environmentId: string | undefined;
}
