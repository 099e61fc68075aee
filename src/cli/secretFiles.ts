// Secrets the command line writes or reads: HQ's private signing key (`hq-admin seed-demo
// --key-file`, `rotate-key --out`) and HQ's admin token (`--admin-token-file`, `--token-file`).
// A key is written only where the operator said, mode 0600, and never inside a git work tree (where
// it would show up untracked and one `git add .` from a push); a secret is never a flag's value,
// which every user of the PC can read in `ps`.
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DeskError } from '../contract/errors';
import { ioReason } from '../contract/ioReason';
import { readFlagFile, type Flags } from './args';

/** The work tree holding `path` (a folder with a `.git` folder or file, walking up), or null. */
export function gitWorkTreeOf(path: string): string | null {
  // Symlinks resolved on the part that exists, so a link out of /tmp into a checkout is seen.
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const up = dirname(existing);
    if (up === existing) break;
    rest.unshift(existing.slice(up.length).replace(/^[\\/]+/, ''));
    existing = up;
  }
  let dir = join(realpathSync(existing), ...rest);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Refuses a place for a secret inside a git work tree (SECRET_IN_WORK_TREE); checked before anything is asked of HQ. */
export function checkSecretPath(path: string, flag: string): string {
  const target = resolve(path);
  const tree = gitWorkTreeOf(target);
  if (tree !== null) throw new DeskError('SECRET_IN_WORK_TREE', { path: target, tree, flag });
  return target;
}

/** Writes a private key (or other secret) to `path`: 0600, by rename (a link at the path is replaced, not followed). */
export function writeSecretFile(path: string, text: string, flag: string): string {
  const target = checkSecretPath(path, flag);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new DeskError('FILE_WRITE_FAILED', { path: target, detail: err instanceof Error ? err.message : String(err), why: ioReason(err) });
  }
  return target;
}

export interface SecretSource {
  /** The flag that would carry the secret itself: refused. */
  flag: string;
  /** The flag naming a file that holds it. */
  fileFlag: string;
  /** The environment variable that holds it. */
  env: string;
}

/**
 * A secret from `--…-file F` (first line, trimmed) or the environment; `--flag VALUE` is refused
 * (SECRET_ON_COMMAND_LINE): a command line is visible to every user of the PC in `ps`. Undefined when
 * neither is given. `warn` hears about a file other users may read.
 */
export function readSecret(flags: Flags, source: SecretSource, warn: (line: string) => void): string | undefined {
  if (flags[source.flag] !== undefined) throw new DeskError('SECRET_ON_COMMAND_LINE', { flag: `--${source.flag}`, env: source.env, fileFlag: `--${source.fileFlag}` });
  const file = flags[source.fileFlag];
  if (typeof file === 'string') {
    const text = readFlagFile(file, `--${source.fileFlag}`);
    if (process.platform !== 'win32' && ((statSync(file, { throwIfNoEntry: false })?.mode ?? 0) & 0o077) !== 0) warn(`${file} can be read by other users of this PC: chmod 600 it.`);
    const secret = text.split(/\r?\n/, 1)[0]!.trim();
    if (secret.length === 0) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.fileEmpty', flag: `--${source.fileFlag}`, file });
    return secret;
  }
  const fromEnv = process.env[source.env];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}
