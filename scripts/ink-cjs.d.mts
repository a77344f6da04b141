// Types of ink-cjs.mjs for the tests that check its cuts against the libraries they stand in for.
export declare const NARROW: string;
export declare const inkForCjs: { name: string; setup(build: unknown): void };
