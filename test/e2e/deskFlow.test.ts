// What a new clerk met on a desk with no printer set up, walked in Chromium against the real web host
// (zh-CN, 1024×768): 重打小票 of a receipt still waiting says so and adds nothing; the confirmations
// say 确认核销 / 确认兑换 / 确认捐赠 / 确认累积 with a line that the receipt waits for a printer (not
// "并打印"); a donation below the rules' minimum is refused before the confirmation; 扫描会员码 on an
// unverified card keeps the card, a refused code is said there, this member's code verifies them in
// place and another member's code opens that member; 今日业务 shows an earn's purchase, and an
// exchange's sum is named as the gift's value on 今日业务 and in History. Screenshots: test-output/e2e/flow-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanWedge } from '../../src/bench/wedgeScanner';
import { createTranslator } from '../../src/i18n';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { presentMember, signIn, startWalk, type Walk } from './deskWalk';

const zh = createTranslator('zh-CN');
type Member = { id: string; card_serial: number; card_no: string };
let walk: Walk;
let a: Member;
let b: Member;

beforeAll(async () => {
  walk = await startWalk('flow', { members: 60, viewport: { width: 1024, height: 768 } });
  const rows = walk.desk.terminal.db
    .prepare(
      "SELECT m.id, m.card_serial, m.card_no, (SELECT coalesce(sum(remaining), 0) FROM point_lots WHERE member_id = m.id) AS balance FROM members m WHERE status = 'active' ORDER BY balance DESC LIMIT 2",
    )
    .all() as Member[];
  [a, b] = [rows[0]!, rows[1]!];
  await signIn(walk, '1234'); // 王芳, a clerk
}, 120_000);
afterAll(async () => walk?.close());

const db = () => walk.desk.terminal.db;

function codeOf(m: { id: string; card_serial: number }): string {
  const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(walk.desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
  return mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat: Math.floor(Date.now() / 1000) - 60 });
}

async function findByPhone(m: Member): Promise<void> {
  const { page } = walk;
  await page.click('[data-testid="nav-next"]');
  await page.fill('[data-testid="card-input"]', walk.phones.get(m.id)!);
  await page.click('[data-testid="card-submit"]');
  await page.waitForSelector('[data-screen="member"] [data-testid="needs-code"]');
}

describe('a desk with no printer, in Chromium', () => {
  it('扫描会员码 keeps the unverified card: a refused code is said there, this member’s code verifies in place, another’s opens them', async () => {
    const { page } = walk;
    await findByPhone(a);
    await page.click('[data-testid="needs-code-scan"]');
    await page.waitForSelector('[data-screen="member"] [data-testid="needs-code-scanning"]');
    expect(await page.textContent('[data-testid="member-card"] .sub')).toContain(a.card_no);
    await walk.shot('flow-scan-on-card');
    // A code of a member the terminal does not hold: refused, said on the card, the card stays.
    await scanWedge(page, codeOf({ id: 'M99999999', card_serial: 1 }));
    await page.waitForSelector('[data-testid="needs-code-scanning"] [data-testid="error"]');
    expect(await page.locator('[data-screen="scan"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="member-card"] .sub')).toContain(a.card_no);
    // This member's code: verified on the card.
    await scanWedge(page, codeOf(a));
    await page.waitForSelector('[data-screen="member"] [data-testid="verified"].ok');
    expect(await page.textContent('[data-testid="verified"]')).toBe(zh.t('ui.member.verifiedCode'));
    expect(await page.textContent('[data-testid="member-card"] .sub')).toContain(a.card_no);
    expect(await page.locator('[data-testid="needs-code"]').count()).toBe(0);
    // Another member's code while waiting for this one's: that member opens.
    await findByPhone(a);
    await page.click('[data-testid="needs-code-scan"]');
    await page.waitForSelector('[data-testid="needs-code-scanning"]');
    await scanWedge(page, codeOf(b));
    await expect.poll(() => page.textContent('[data-testid="member-card"] .sub')).toContain(b.card_no);
    expect(await page.textContent('[data-testid="verified"]')).toBe(zh.t('ui.member.verifiedCode'));
  });

  it('the redemption and exchange confirmations do not promise printing: 确认核销 / 确认兑换 and the receipt waits', async () => {
    const { page } = walk;
    await presentMember(walk, a);
    await page.locator('[data-testid="redeem"]:not([disabled])').first().click();
    await page.waitForSelector('[data-testid="redeem-dialog"]');
    expect(await page.textContent('[data-testid="confirm-redeem"]')).toBe(zh.t('ui.confirmAct.redeem.only'));
    expect(await page.textContent('[data-testid="redeem-dialog"] [data-testid="receipt-when"]')).toBe(zh.t('ui.receiptWhen.noPrinter'));
    expect(await page.textContent('[data-testid="confirm-redeem"]')).not.toContain('打印');
    await walk.shot('flow-redeem-dialog');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="redeem-dialog"]', { state: 'detached' });

    await page.click('[data-testid="go-exchange"]');
    await page.locator('[data-screen="catalog"] .catalog-item button:not([disabled])').first().click();
    await page.waitForSelector('[data-testid="exchange-dialog"]');
    expect(await page.textContent('[data-testid="confirm-exchange"]')).toBe(zh.t('ui.confirmAct.exchange.only'));
    expect(await page.textContent('[data-testid="exchange-dialog"] [data-testid="receipt-when"]')).toBe(zh.t('ui.receiptWhen.noPrinter'));
    await page.click('[data-testid="confirm-exchange"]');
    await page.waitForSelector('[data-screen="receipt"]');
  });

  it('a donation below the minimum is refused before the confirmation, in the core’s words', async () => {
    const { page } = walk;
    await presentMember(walk, a);
    await page.click('[data-testid="go-donate"]');
    expect(await page.textContent('[data-testid="donate-minimum"]')).toBe(zh.t('ui.donate.minimum', { points: '100' }));
    await page.fill('[data-testid="donate-points"]', '10');
    await page.click('[data-testid="donate-submit"]');
    await page.waitForSelector('[data-screen="donate"] [data-testid="error"]');
    expect(await page.textContent('[data-screen="donate"] [data-testid="error"]')).toBe(zh.error('POINTS_TOO_FEW', { min: 100 }));
    expect(await page.locator('[data-testid="donate-dialog"]').count()).toBe(0);
    await walk.shot('flow-donate-minimum');
    await page.fill('[data-testid="donate-points"]', '100');
    await page.click('[data-testid="donate-submit"]');
    await page.waitForSelector('[data-testid="donate-dialog"]');
    expect(await page.textContent('[data-testid="confirm-donate"]')).toBe(zh.t('ui.confirmAct.donate.only'));
    await page.click('[data-testid="confirm-donate"]');
    await page.waitForSelector('[data-screen="receipt"]');
  });

  it('重打小票 while the receipt still waits says so and adds nothing, on the receipt and on 今日业务', async () => {
    const { page } = walk;
    await presentMember(walk, a);
    await page.click('[data-testid="go-earn"]');
    await page.fill('[data-testid="earn-amount"]', '258');
    await page.click('[data-testid="earn-submit"]');
    await page.waitForSelector('[data-testid="earn-dialog"]');
    expect(await page.textContent('[data-testid="confirm-earn"]')).toBe(zh.t('ui.confirmAct.earn.only'));
    expect(await page.textContent('[data-testid="earn-dialog"] [data-testid="receipt-when"]')).toBe(zh.t('ui.receiptWhen.noPrinter'));
    await page.click('[data-testid="confirm-earn"]');
    await page.waitForSelector('[data-screen="receipt"]');
    const opId = (db().prepare("SELECT id FROM operations WHERE member_id = ? AND kind = 'earn' ORDER BY at DESC LIMIT 1").get(a.id) as { id: string }).id;
    const says = zh.error('RECEIPT_ALREADY_WAITING', { ref: opId });
    for (let i = 0; i < 3; i++) {
      await page.click('[data-testid="reprint"]');
      await expect.poll(() => page.locator('[data-screen="receipt"] [data-testid="reprint-waiting"]').textContent()).toBe(says);
    }
    await walk.shot('flow-reprint-waiting');
    await page.click('[data-testid="nav-ops"]');
    await page.click(`[data-testid="op-${opId}"] [data-testid="op-reprint"]`);
    await expect.poll(() => page.locator('[data-screen="operations"] [data-testid="reprint-waiting"]').textContent()).toBe(says);
    expect(db().prepare('SELECT count(*) AS n FROM print_jobs WHERE op_id = ?').get(opId)).toEqual({ n: 1 });
    expect(db().prepare("SELECT count(*) AS n FROM audit WHERE action = 'receipt.reprint'").get()).toEqual({ n: 0 });
  });

  it('今日业务 shows an earn’s purchase; an exchange’s sum is the gift’s value on 今日业务 and in History', async () => {
    const { page } = walk;
    const earnOp = (db().prepare("SELECT id FROM operations WHERE member_id = ? AND kind = 'earn' ORDER BY at DESC LIMIT 1").get(a.id) as { id: string }).id;
    const ex = db().prepare("SELECT id, value_fen FROM operations WHERE member_id = ? AND kind = 'exchange' LIMIT 1").get(a.id) as { id: string; value_fen: number };
    const yuan = `¥${(ex.value_fen / 100).toFixed(2)}`;
    await page.click('[data-testid="nav-ops"]');
    await page.waitForSelector(`[data-testid="op-${earnOp}"]`);
    expect(await page.textContent(`[data-testid="op-${earnOp}"] .op-what`)).toContain(`${zh.t('ui.money.amount')} ¥258.00`);
    expect(await page.textContent(`[data-testid="op-${ex.id}"] .op-what`)).toContain(`${zh.t('ui.money.value.exchange')} ${yuan}`);
    await walk.shot('flow-today');
    await presentMember(walk, a);
    await page.click('[data-testid="go-history"]');
    await page.waitForSelector(`[data-testid="history-${ex.id}"]`);
    const exRow = page.locator(`[data-testid="history-${ex.id}"]`);
    expect(await exRow.locator('[data-testid="history-money"]').getAttribute('data-is')).toBe('value');
    expect(await exRow.textContent()).toContain(zh.t('ui.money.value.exchange'));
    expect(await exRow.textContent()).not.toContain(zh.t('ui.history.amount'));
    const earnRow = page.locator(`[data-testid="history-${earnOp}"]`);
    expect(await earnRow.locator('[data-testid="history-money"]').textContent()).toBe('¥258.00');
    expect(await earnRow.textContent()).toContain(zh.t('ui.money.amount'));
    await walk.shot('flow-history');
  });
});
