// The part of better-sqlite3's API the Codex index uses (the package ships no types).
declare module 'better-sqlite3' {
  interface Statement {
    run(...params: unknown[]): { changes: number };
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  }
  interface Transaction<F extends (...args: never[]) => unknown> {
    (...args: Parameters<F>): ReturnType<F>;
    immediate(...args: Parameters<F>): ReturnType<F>;
  }
  class Database {
    constructor(file: string, options?: { fileMustExist?: boolean; timeout?: number; readonly?: boolean; nativeBinding?: unknown });
    prepare(sql: string): Statement;
    pragma(sql: string, options?: { simple?: boolean }): unknown;
    transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F>;
    close(): void;
  }
  export default Database;
}
