// The real `loyalty-desk` command in a child process (the built bin, as an operator runs it): its
// exit code and the JSON it printed.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../src/cli/bin.mjs');

export async function cli(...args: string[]): Promise<{ code: number; json: Record<string, any> }> {
  try {
    const { stdout } = await run(process.execPath, [BIN, ...args], { timeout: 30_000 });
    return { code: 0, json: JSON.parse(stdout) };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, json: JSON.parse(e.stdout) };
  }
}
