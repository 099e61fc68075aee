// Types of startLang.mjs (plain JavaScript: bin.mjs uses it before anything is built).
import type { Lang } from '../loyalty/types';
export function startLang(argv?: readonly string[], env?: Record<string, string | undefined>, runtimeLocale?: string): Lang;
export function builtLine(lang: Lang, ms: number): string;
