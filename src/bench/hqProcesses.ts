// Real HQ child processes for the load run: each is `loyalty-desk hq --port 0` (the shipped command,
// not an in-process server) on loopback against one PostgreSQL database and schema.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const BIN = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STDERR_KEEP = 8_000;

const startedLineSchema = z.object({ ok: z.literal(true), url: z.url(), database: z.literal('postgresql') });

export interface HqProcess {
  url: string;
  port: number;
  pid: number;
  /** The last few KB the process wrote to stderr (its 500s), for the report when something failed. */
  stderr(): string;
  /** SIGKILL: no goodbye, as when a machine dies. */
  kill(): void;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
  exited(): boolean;
}

/** A DATABASE_URL whose connections work in `schema` (libpq `options=-c search_path=…`). */
export function urlWithSchema(databaseUrl: string, schema: string): string {
  const u = new URL(databaseUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export async function startHqProcess(options: { databaseUrl: string; adminToken: string; startTimeoutMs?: number }): Promise<HqProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'hq', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, HQ_ADMIN_TOKEN: options.adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    err = (err + s).slice(-STDERR_KEEP);
  });
  let exitedFlag = false;
  // If the parent ends without stopping its children (an uncaught error), they must not outlive it.
  const orphanGuard = () => void child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exitedFlag = true;
      process.removeListener('exit', orphanGuard);
      resolve();
    }),
  );

  const started = await new Promise<z.infer<typeof startedLineSchema>>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`HQ did not start within ${options.startTimeoutMs ?? 30_000} ms: ${err.slice(-500)}`)), options.startTimeoutMs ?? 30_000);
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const parsed = startedLineSchema.safeParse(JSON.parse(line));
      if (parsed.success) resolve(parsed.data);
      else reject(new Error(`HQ started with an unexpected line: ${line.slice(0, 200)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`HQ exited with ${code} before it listened: ${err.slice(-500)}`));
    });
  }).catch(async (e: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw e;
  });

  const url = started.url;
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    stderr: () => err,
    exited: () => exitedFlag,
    kill: () => void child.kill('SIGKILL'),
    async stop(graceMs = 5_000) {
      if (exitedFlag) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
