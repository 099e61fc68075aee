// `loyalty-desk card-replace` (挂失补卡) as an operator runs it: the real command in a child process
// on a seeded data folder. Refusals exit 2 and write nothing; the old card is then CARD_SUPERSEDED.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { tempDir } from '../helpers/demoDb';
import { cli } from '../helpers/cliChild';
import { allowPrinter } from '../helpers/printerConfig';

const NOW_S = String(Date.UTC(2026, 10, 23, 2, 0, 0) / 1000);

let cleanup: () => void;
let db: string;
let sample: { mid: string; cardNo: string };
let printer: FakePrinter;
beforeAll(async () => {
  const made = tempDir('ld-card-cli-');
  cleanup = made.cleanup;
  db = join(made.dir, 'desk.db');
  const seeded = await cli('seed', '--db', db, '--members', '60', '--now', NOW_S);
  expect(seeded.code).toBe(0);
  sample = (seeded.json.sample as { mid: string; cardNo: string; note: string }[]).find((s) => s.note.startsWith('tier_'))!;
  printer = await startFakePrinter({ port: 0, out: join(made.dir, 'paper') });
  allowPrinter(made.dir, printer.allow);
}, 60_000);
afterAll(async () => {
  await printer.close();
  cleanup();
});

describe('loyalty-desk card-replace', () => {
  it('refuses without a manager and with a clerk as manager (exit 2, nothing written), then replaces the card', async () => {
    const base = ['card-replace', '--db', db, '--now', NOW_S, '--member', sample.mid, '--staff', 'clerk-01'];
    const alone = await cli(...base);
    expect(alone.code).toBe(2);
    expect(alone.json.error.code).toBe('NOT_MANAGER');
    const clerk = await cli(...base, '--manager', 'clerk-02', '--lang', 'en');
    expect(clerk.code).toBe(2);
    expect(clerk.json.error).toMatchObject({ code: 'NOT_MANAGER', message: expect.stringMatching(/manager/) });
    const unknown = await cli('card-replace', '--db', db, '--now', NOW_S, '--member', 'M99999999', '--staff', 'clerk-01', '--manager', 'mgr-01');
    expect(unknown.json.error.code).toBe('UNKNOWN_MEMBER');
    expect((await cli('outbox', '--db', db)).json.pending).toBe(0);

    const done = await cli(...base, '--manager', 'mgr-01', '--printer', printer.uri);
    expect(done.code).toBe(0);
    expect(done.json).toMatchObject({ ok: true, oldCardNo: sample.cardNo, cardSerial: 2, approvedBy: { id: 'mgr-01' } });
    expect(done.json.newCardNo).toMatch(/^8870\d{12}$/);
    // The receipt on the (fake, real TCP) printer: which card replaced which, masked; the approver.
    expect(done.json.print).toMatchObject({ status: 'printed', jobId: done.json.printJobId });
    const paper = printer.receipts.at(-1)!.lines.join('\n');
    expect(paper).toContain('补卡凭条');
    expect(paper).toMatch(new RegExp(`旧卡\\s+\\*{4}${sample.cardNo.slice(-4)}`));
    expect(paper).toMatch(new RegExp(`新卡\\s+\\*{4}${done.json.newCardNo.slice(-4)}`));
    expect(paper).toMatch(/批准人\s+李娜/);
    expect(paper).not.toContain(sample.cardNo);
    expect((await cli('outbox', '--db', db)).json.events.map((e: { type: string }) => e.type)).toEqual(['card.replaced']);

    const old = await cli('member', '--db', db, '--card', sample.cardNo);
    expect(old.code).toBe(2);
    expect(old.json.error.code).toBe('CARD_SUPERSEDED');
    const found = await cli('member', '--db', db, '--card', done.json.newCardNo);
    expect(found.json.member.id).toBe(sample.mid);
  }, 60_000);
});
