// Secrets on the command line: HQ's admin token never as a flag's value (visible in `ps`), but from
// HQ_ADMIN_TOKEN or a file; HQ's private signing key written only where --key-file / --out says,
// 0600, and never inside a git work tree (walking up for .git, through symlinks).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { gitWorkTreeOf } from '../../src/cli/secretFiles';
import { createTranslator } from '../../src/i18n';
import { LANGS } from '../../src/loyalty/types';
import { tempDir } from '../helpers/demoDb';

const BIN = join(import.meta.dirname, '../../src/cli/bin.mjs');
const TOKEN = 'secrets-test-admin-token';

async function inProcess(...args: string[]): Promise<{ code: number; json: Record<string, any>; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s), now: () => Date.UTC(2026, 10, 23, 2) });
  return { code, json: JSON.parse(out.join('')), err };
}

let tmp: { dir: string; cleanup: () => void };
let repo: string;
let hq: ChildProcess;
let hqUrl: string;
const savedToken = process.env.HQ_ADMIN_TOKEN;

/** `loyalty-desk hq` in a child with its token in a file: its first stdout line says where it listens. */
async function startHqChild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; first: Record<string, any> }> {
  const child = spawn(process.execPath, [BIN, 'hq', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HQ_ADMIN_TOKEN: '', DATABASE_URL: '', ...env } });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hq did not start in 30 s')), 30_000);
    lines.once('line', (l) => (clearTimeout(timer), resolve(l)));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`hq exited ${code}`))));
  });
  return { child, first: JSON.parse(first) };
}

beforeAll(async () => {
  tmp = tempDir('ld-secrets-');
  repo = join(tmp.dir, 'checkout');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'deep', 'er'), { recursive: true });
  writeFileSync(join(tmp.dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  const started = await startHqChild(['--admin-token-file', join(tmp.dir, 'token')]);
  hq = started.child;
  hqUrl = started.first.url;
  expect(started.first.admin).toBe('enabled');
  delete process.env.HQ_ADMIN_TOKEN;
});
afterAll(() => {
  hq?.kill('SIGTERM');
  if (savedToken !== undefined) process.env.HQ_ADMIN_TOKEN = savedToken;
  tmp.cleanup();
});

describe('the admin token', () => {
  it('refuses --admin-token and --token on the command line, saying why and what to use', async () => {
    const hqFlag = await inProcess('hq', '--admin-token', 'T', '--port', '0', '--lang', 'en');
    expect(hqFlag.code).toBe(2);
    expect(hqFlag.json.error).toMatchObject({ code: 'SECRET_ON_COMMAND_LINE', params: { flag: '--admin-token', env: 'HQ_ADMIN_TOKEN', fileFlag: '--admin-token-file' } });
    expect(hqFlag.json.error.message).toMatch(/ps/);
    const adminFlag = await inProcess('hq-admin', '--hq', hqUrl, '--token', TOKEN, 'terminals');
    expect(adminFlag.json.error).toMatchObject({ code: 'SECRET_ON_COMMAND_LINE', params: { flag: '--token', fileFlag: '--token-file' } });
    for (const lang of LANGS) expect(createTranslator(lang).error('SECRET_ON_COMMAND_LINE', adminFlag.json.error.params)).toContain('HQ_ADMIN_TOKEN');
  });

  it('takes the token from --token-file or HQ_ADMIN_TOKEN; a wrong one is refused by HQ', async () => {
    const viaFile = await inProcess('hq-admin', '--hq', hqUrl, '--token-file', join(tmp.dir, 'token'), 'terminals');
    expect(viaFile.code).toBe(0);
    process.env.HQ_ADMIN_TOKEN = TOKEN;
    try {
      expect((await inProcess('hq-admin', '--hq', hqUrl, 'terminals')).code).toBe(0);
      process.env.HQ_ADMIN_TOKEN = 'wrong';
      expect((await inProcess('hq-admin', '--hq', hqUrl, 'terminals')).json.error.code).toBe('HQ_REFUSED');
    } finally {
      delete process.env.HQ_ADMIN_TOKEN;
    }
    const none = await inProcess('hq-admin', '--hq', hqUrl, 'terminals');
    expect(none.json.error.code).toBe('INVALID_INPUT');
    expect(none.json.error.message).toMatch(/HQ_ADMIN_TOKEN|--token-file/);
    writeFileSync(join(tmp.dir, 'open-token'), TOKEN, { mode: 0o644 });
    const open = await inProcess('hq-admin', '--hq', hqUrl, '--token-file', join(tmp.dir, 'open-token'), 'terminals');
    expect(open.code).toBe(0);
    expect(open.err.join('\n')).toMatch(/chmod 600/);
  });

  it('starts HQ from HQ_ADMIN_TOKEN, and with neither says admin is disabled', async () => {
    const [fromEnv, without] = await Promise.all([startHqChild([], { HQ_ADMIN_TOKEN: TOKEN }), startHqChild([])]);
    fromEnv.child.kill('SIGTERM');
    without.child.kill('SIGTERM');
    expect(fromEnv.first.admin).toBe('enabled');
    expect(without.first.admin).toBe('disabled');
  });
});

describe("HQ's private key", () => {
  it('seed-demo without --key-file is refused and writes nothing anywhere', async () => {
    const before = readdirSync(process.cwd());
    const r = await inProcess('hq-admin', '--hq', hqUrl, '--token-file', join(tmp.dir, 'token'), 'seed-demo', '--members', '5');
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(r.json.error.message).toContain('--key-file');
    expect(readdirSync(process.cwd())).toEqual(before);
    expect(existsSync(join(process.cwd(), 'hq-demo-key.jwk.json'))).toBe(false);
  });

  it.each([
    ['the work tree itself', (repoDir: string) => join(repoDir, 'key.json')],
    ['a folder deep inside it, not made yet', (repoDir: string) => join(repoDir, 'deep', 'er', 'new', 'key.json')],
    ['a worktree whose .git is a file', (repoDir: string) => join(repoDir, '..', 'wt', 'key.json')],
    ['a symlink into it', (repoDir: string) => join(repoDir, '..', 'link', 'key.json')],
  ])('refuses a --key-file in %s, before anything is sent to HQ', async (_name, where) => {
    mkdirSync(join(tmp.dir, 'wt'), { recursive: true });
    writeFileSync(join(tmp.dir, 'wt', '.git'), 'gitdir: /elsewhere/.git/worktrees/wt\n');
    if (!existsSync(join(tmp.dir, 'link'))) symlinkSync(join(repo, 'deep'), join(tmp.dir, 'link'));
    const file = where(repo);
    const r = await inProcess('hq-admin', '--hq', hqUrl, '--token-file', join(tmp.dir, 'token'), 'seed-demo', '--members', '5', '--key-file', file, '--lang', 'zh-CN');
    expect(r.json.error?.code).toBe('SECRET_IN_WORK_TREE');
    expect(r.json.error.message).toContain('--key-file');
    expect(existsSync(file)).toBe(false);
    // Nothing reached HQ: it still has no stores for an enrollment code.
    const code = await inProcess('hq-admin', '--hq', hqUrl, '--token-file', join(tmp.dir, 'token'), 'enrollment-code', '--store', 'SH001');
    expect(code.json.ok).toBe(false);
  });

  it('writes the key where --key-file says, 0600, and rotate-key --out is checked before HQ rotates', async () => {
    const file = join(tmp.dir, 'keys', 'hq-demo.jwk.json');
    const r = await inProcess('hq-admin', '--hq', hqUrl, '--token-file', join(tmp.dir, 'token'), 'seed-demo', '--members', '5', '--key-file', file);
    expect(r.code).toBe(0);
    expect(r.json.hqKeyFile).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const refused = await inProcess('hq-admin', '--hq', hqUrl, '--token-file', join(tmp.dir, 'token'), 'rotate-key', '--out', join(repo, 'rotated.json'));
    expect(refused.json.error.code).toBe('SECRET_IN_WORK_TREE');
    expect(existsSync(join(repo, 'rotated.json'))).toBe(false);
    const rotated = await inProcess('hq-admin', '--hq', hqUrl, '--token-file', join(tmp.dir, 'token'), 'rotate-key', '--out', join(tmp.dir, 'keys', 'rotated.json'));
    expect(rotated.code).toBe(0);
    expect(statSync(join(tmp.dir, 'keys', 'rotated.json')).mode & 0o777).toBe(0o600);
  });

  it('finds the work tree from any path under it, and none outside', () => {
    expect(gitWorkTreeOf(join(repo, 'a', 'b', 'c.json'))).toBe(repo);
    expect(gitWorkTreeOf(join(tmp.dir, 'elsewhere', 'k.json'))).toBe(null);
    // This repository itself is one: a key written into the checkout is refused.
    expect(gitWorkTreeOf(join(import.meta.dirname, 'hq-demo-key.jwk.json'))).not.toBe(null);
  });
});
