// Types of bundle-bwrap.mjs for the test helpers, which find the system bwrap as the build does.
export declare const INSTALL_HINT: string;
export declare function systemBwrap(): string | undefined;
export declare function bundleBwrap(destDir: string, work?: string): string | undefined;
