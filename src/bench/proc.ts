// Small process and file helpers shared by the benchmark's parts.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

export function fileBytes(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end (killed after timeoutMs), collecting its output and wall time. */
export function run(cmd: string, args: string[], timeoutMs: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
    });
  });
}

/** The last line of a CLI's stdout, parsed as its JSON answer. */
export function lastJson(stdout: string): { ok?: boolean } & Record<string, unknown> {
  try {
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { ok?: boolean } & Record<string, unknown>;
  } catch {
    return {};
  }
}
