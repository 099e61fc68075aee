// Types of build.mjs (plain JavaScript: it runs before anything is built) for the TypeScript that calls it.
export function withLock<T>(lock: string, fn: () => Promise<T>, options?: { staleMs?: number; waitMs?: number }): Promise<T>;
export function ensureBuilt(root?: string, log?: (line: string) => void, say?: (ms: number, why: string) => string): Promise<string>;
