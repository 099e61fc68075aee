// `loyalty-desk enroll` on a new terminal pulls HQ's snapshot at once, so the next command finds
// HQ's members; `--no-sync` only enrolls.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { BACKENDS, seedHq, startTestHq, type TestHq } from '../hq/harness';
import { tempDir } from '../helpers/demoDb';

async function run(...args: string[]): Promise<{ code: number; json: Record<string, unknown>; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s), now: () => Date.now() });
  return { code, json: JSON.parse(out.join('')) as Record<string, unknown>, err };
}

describe.each(BACKENDS)('enroll from the command line (%s)', (backend) => {
  let hq: TestHq;
  let dir: string;
  let cleanup: () => void;
  let memberId: string;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    hq = await startTestHq(backend);
    const seeded = await seedHq(hq, dir, 40);
    memberId = seeded.sample[0]!.mid;
  }, 60_000);
  afterAll(async () => {
    await hq.stop();
    cleanup();
  });

  const newCode = async () => ((await hq.admin('POST', '/v1/admin/enrollment-codes', {})) as { code: string }).code;

  it('enrolls and takes the first sync, after which the member is found', async () => {
    const db = join(dir, 'synced', 'desk.db');
    const enrolled = await run('enroll', '--db', db, '--hq', hq.url, '--code', await newCode());
    expect(enrolled.code).toBe(0);
    expect(enrolled.json).toMatchObject({ storeId: expect.any(String), terminalId: expect.any(String), firstSync: { pending: 0 } });
    expect((enrolled.json.firstSync as { pulled: number }).pulled).toBeGreaterThan(40);
    expect(enrolled.err.some((l) => l.startsWith('pull page'))).toBe(true);
    const member = await run('member', '--db', db, '--id', memberId);
    expect(member.code).toBe(0);
    expect(member.json).toMatchObject({ member: { id: memberId } });
  }, 60_000);

  it('with --no-sync only enrolls: the member is not there until `sync`', async () => {
    const db = join(dir, 'bare', 'desk.db');
    const enrolled = await run('enroll', '--db', db, '--hq', hq.url, '--code', await newCode(), '--no-sync');
    expect(enrolled.code).toBe(0);
    expect(enrolled.json).not.toHaveProperty('firstSync');
    const missing = await run('member', '--db', db, '--id', memberId);
    expect(missing.code).toBe(2);
    expect(missing.json).toMatchObject({ ok: false, error: { code: 'UNKNOWN_MEMBER' } });
    expect((await run('sync', '--db', db)).code).toBe(0);
    expect((await run('member', '--db', db, '--id', memberId)).code).toBe(0);
  }, 60_000);
});
