// The web host over real loopback HTTP: the per-launch secret, loopback-only binding, the browser
// checks (Host, Origin, Sec-Fetch-Site), INVALID_INPUT for bad inputs, one session per window, SSE.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n';
import { CONTENT_SECURITY_POLICY } from '../../src/host/security';
import { snapshot } from '../helpers/snapshot';
import { NOW } from '../helpers/demoDb';
import { demoPhones, otherPhone } from '../helpers/demoPhones';

/** startTestHost seeds 200 demo members with seed 'test' at NOW. */
const PHONES = demoPhones({ seed: 'test', now: NOW, members: 200 });
import { callApi, openSession, send, startTestHost, type TestHost } from './helpers';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => t.close());

function externalAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return null;
}

describe('web host', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(t.host.boundAddress).toBe('127.0.0.1');
    expect(t.host.origin).toBe(`http://127.0.0.1:${t.host.port}`);
    const other = externalAddress();
    if (other) {
      const outcome = await new Promise<string>((resolve) => {
        const s = createConnection({ host: other, port: t.host.port });
        s.setTimeout(2000, () => (s.destroy(), resolve('timeout')));
        s.on('connect', () => (s.destroy(), resolve('connected')));
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome).not.toBe('connected');
    }
  });

  it('refuses every call, page and event stream without the launch secret', async () => {
    const api = await callApi(t.host, null, 'session.current', {});
    expect(api.status).toBe(401);
    expect(api.json.error.code).toBe('SESSION_REQUIRED');
    expect(api.json.error.message).toBe('此窗口没有连上会员服务台。请打开运行 loyalty-desk start 后命令行窗口里显示的链接，或重新启动程序。');
    const forged = await callApi(t.host, `ld_session_${t.host.port}=${'A'.repeat(43)}`, 'staff.signIn', { pin: '1234' });
    expect(forged.status).toBe(401);
    const page = await send(t.host, '/');
    expect(page.status).toBe(401);
    // In the desk's language (zh-CN here), styled by its own hashed style block (test/e2e/dayEndWalk.test.ts).
    expect(page.body).toContain(createTranslator('zh-CN').t('ui.noSession.body'));
    expect((await send(t.host, '/api/events')).status).toBe(401);
    expect((await send(t.host, '/index.html')).status).toBe(401);
  });

  it('exchanges a launch token once for an HttpOnly SameSite=Strict cookie', async () => {
    const url = new URL(t.host.launchUrl());
    const path = `${url.pathname}${url.search}`;
    expect((await send(t.host, '/launch?token=not-the-token')).status).toBe(401);
    const first = await send(t.host, path);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^ld_session_${t.host.port}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`));
    expect((await send(t.host, path)).status).toBe(401);
    const session = cookie.split(';')[0]!;
    const page = await send(t.host, '/', { headers: { cookie: session } });
    expect(page.status).toBe(200);
    // Scripts from here only; WebAssembly may compile (the QR decoder, docs/scan.md), JavaScript eval may not.
    expect(String(page.headers['content-security-policy']).match(/script-src [^;]*/)?.[0]).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await callApi(t.host, session, 'session.current', {})).json).toMatchObject({ ok: true, value: { staff: null, lang: 'zh-CN' } });
  });

  it("the desk's and the kiosk's own CSP meta tags allow scripts as the header does (the same script-src)", () => {
    const header = CONTENT_SECURITY_POLICY.match(/script-src [^;]*/)?.[0];
    expect(header).toBe("script-src 'self' 'wasm-unsafe-eval'");
    for (const page of ['index.html', 'kiosk.html']) {
      const meta = readFileSync(join(import.meta.dirname, '../../renderer', page), 'utf8').match(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/)?.[1];
      expect(meta?.match(/script-src [^;]*/)?.[0], page).toBe(header);
    }
  });

  it('a new launch link opened in a signed-in browser starts a new, signed-out session and ends the old one', async () => {
    const old = await openSession(t.host);
    expect((await callApi(t.host, old, 'staff.signIn', { pin: '1234' })).json).toMatchObject({ ok: true });
    const url = new URL(t.host.launchUrl());
    const again = await send(t.host, `${url.pathname}${url.search}`, { headers: { cookie: old } });
    expect(again.status).toBe(303);
    const fresh = String(again.headers['set-cookie']).split(';')[0]!;
    expect(fresh).not.toBe(old);
    expect((await callApi(t.host, fresh, 'session.current', {})).json).toMatchObject({ ok: true, value: { staff: null } });
    expect((await callApi(t.host, old, 'session.current', {})).status).toBe(401);
    // The used link reloaded in that browser keeps its session; nowhere else does it open one.
    const reloaded = await send(t.host, `${url.pathname}${url.search}`, { headers: { cookie: fresh } });
    expect(reloaded.status).toBe(303);
    expect(reloaded.headers['set-cookie']).toBeUndefined();
    expect((await send(t.host, `${url.pathname}${url.search}`)).status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding), a foreign Origin and cross-site requests even with the cookie', async () => {
    const cookie = await openSession(t.host);
    const rebinding = await callApi(t.host, cookie, 'session.current', {}, { host: `evil.example:${t.host.port}`, origin: `http://evil.example:${t.host.port}` });
    expect(rebinding.status).toBe(403);
    expect((await callApi(t.host, cookie, 'staff.signIn', { pin: '1234' }, { origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await callApi(t.host, cookie, 'staff.signIn', { pin: '1234' }, { origin: 'null' })).status).toBe(403);
    expect((await callApi(t.host, cookie, 'session.current', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const noOrigin = await send(t.host, '/api/session.current', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(noOrigin.status).toBe(403);
    expect((await callApi(t.host, cookie, 'session.current', {})).status).toBe(200);
  });

  it('answers invalid inputs with INVALID_INPUT and changes nothing', async () => {
    const cookie = await openSession(t.host);
    await callApi(t.host, cookie, 'staff.signIn', { pin: '1234' });
    const before = snapshot(t.terminal.db);
    const bad: [string, unknown][] = [
      ['benefit.redeem', { memberId: 'M00000001', benefitId: 'B-VOUCHER-20', amountFen: -5 }],
      ['benefit.redeem', { memberId: 'M00000001', benefitId: 'B-VOUCHER-20', staffId: 'mgr-01' }],
      ['points.donate', { memberId: 'M00000001', points: 1.5 }],
      ['scan.submit', { code: '' }],
      ['member.confirmPhone', { memberId: 'M00000001', last4: '12a4' }],
      ['session.setLang', { lang: 'fr' }],
      ['operation.void', { opId: 'not-a-uuid', managerPin: '9999' }],
    ];
    for (const [method, input] of bad) {
      const r = await callApi(t.host, cookie, method, input);
      expect(r.status, method).toBe(200);
      expect(r.json.ok, method).toBe(false);
      expect(r.json.error.code, method).toBe('INVALID_INPUT');
      expect(r.json.error.message, method).toMatch(/^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*。$/);
    }
    const malformed = await send(t.host, '/api/staff.signIn', { method: 'POST', headers: { cookie, origin: t.host.origin, 'content-type': 'application/json' }, body: '{"pin":' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe('INVALID_INPUT');
    const unknown = await callApi(t.host, cookie, 'db.dropEverything', {});
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('INVALID_INPUT');
    expect(snapshot(t.terminal.db)).toEqual(before);
  });

  it('gives each window its own session', async () => {
    const a = await openSession(t.host);
    const b = await openSession(t.host);
    expect((await callApi(t.host, a, 'staff.signIn', { pin: '2345' })).json.value).toMatchObject({ id: 'clerk-02' });
    expect((await callApi(t.host, b, 'member.card', { memberId: 'M00000001' })).json.error.code).toBe('NOT_SIGNED_IN');
    await callApi(t.host, b, 'session.setLang', { lang: 'en' });
    expect((await callApi(t.host, b, 'member.card', { memberId: 'M00000001' })).json.error.message).toBe('Please sign in with your PIN first.');
    expect((await callApi(t.host, a, 'session.current', {})).json.value).toMatchObject({ lang: 'zh-CN', staff: { id: 'clerk-02' } });
  });

  it('redeems against a typed card number only after the whole phone number is confirmed, and never shows more than its last four digits', async () => {
    const cookie = await openSession(t.host);
    await callApi(t.host, cookie, 'staff.signIn', { pin: '1234' });
    const member = t.terminal.db.prepare("SELECT id, card_no FROM members WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 5").get() as { id: string; card_no: string };
    const phone = PHONES.get(member.id)!;
    const notScanned = await callApi(t.host, cookie, 'benefit.redeem', { memberId: member.id, benefitId: 'B-VOUCHER-20' });
    expect(notScanned.json.error.code).toBe('MEMBER_NOT_SCANNED');
    const guessed = await callApi(t.host, cookie, 'member.confirmPhone', { memberId: member.id, phone });
    expect(guessed.json.error.code).toBe('MEMBER_NOT_SCANNED');

    const scanned = await callApi(t.host, cookie, 'scan.submit', { code: member.card_no });
    expect(scanned.json.value).toMatchObject({ via: 'card', verified: false, member: { id: member.id, maskedPhone: `****${phone.slice(-4)}` } });
    const card = await callApi(t.host, cookie, 'member.card', { memberId: member.id });
    expect(card.json.ok).toBe(true);
    // Nothing but the last four digits: the rest of the number appears in no answer.
    for (const body of [scanned.body, card.body]) expect(body).not.toContain(phone.slice(0, 7));

    // A wrong answer writes only its failure count (lockouts), so a reload gives no fresh tries.
    const before = snapshot(t.terminal.db, ['lockouts']);
    expect((await callApi(t.host, cookie, 'benefit.redeem', { memberId: member.id, benefitId: 'B-VOUCHER-20' })).json.error.code).toBe('PHONE_NOT_CONFIRMED');
    const wrong = await callApi(t.host, cookie, 'member.confirmPhone', { memberId: member.id, phone: otherPhone(phone) });
    expect(wrong.json.error).toMatchObject({ code: 'PHONE_MISMATCH', params: { left: 2 } });
    expect(snapshot(t.terminal.db, ['lockouts'])).toEqual(before);
    // The last four digits the screen shows are not the answer.
    expect((await callApi(t.host, cookie, 'member.confirmPhone', { memberId: member.id, phone: phone.slice(-4) })).json.error.code).toBe('PHONE_INVALID');

    expect((await callApi(t.host, cookie, 'member.confirmPhone', { memberId: member.id, phone })).json.ok).toBe(true);
    const redeemed = await callApi(t.host, cookie, 'benefit.redeem', { memberId: member.id, benefitId: 'B-VOUCHER-20' });
    expect(redeemed.json.ok).toBe(true);
    const preview = await callApi(t.host, cookie, 'receipt.preview', { opId: redeemed.json.value.opId });
    expect(preview.json.value).toMatchObject({ printJobId: redeemed.json.value.printJobId, status: 'pending', copy: false, receipt: { kind: 'redeem', opId: redeemed.json.value.opId } });
    expect(preview.json.value.receipt.member.maskedPhone).toBe(`****${phone.slice(-4)}`);
    expect(preview.body).not.toContain(phone.slice(0, 7));
    const recent = await callApi(t.host, cookie, 'operation.recent', {});
    expect(recent.json.value[0]).toMatchObject({ opId: redeemed.json.value.opId, kind: 'redeem', printStatus: 'pending', voided: false });
  });

  it('locks the phone check for a card after 3 wrong numbers', async () => {
    const cookie = await openSession(t.host);
    await callApi(t.host, cookie, 'staff.signIn', { pin: '1234' });
    const member = t.terminal.db.prepare("SELECT id, card_no FROM members WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 9").get() as { id: string; card_no: string };
    const phone = PHONES.get(member.id)!;
    await callApi(t.host, cookie, 'scan.submit', { code: member.card_no });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await callApi(t.host, cookie, 'member.confirmPhone', { memberId: member.id, phone: otherPhone(phone) })).json.error.code);
    expect(codes).toEqual(['PHONE_MISMATCH', 'PHONE_MISMATCH', 'PHONE_CHECK_LOCKED']);
    const right = await callApi(t.host, cookie, 'member.confirmPhone', { memberId: member.id, phone });
    expect(right.json.error.code).toBe('PHONE_CHECK_LOCKED');
  });

  it('streams the desk status as server-sent events and sends it again when it changes', async () => {
    const cookie = await openSession(t.host);
    const events: { pendingSync: number; unprinted: number }[] = [];
    const req = request({ host: '127.0.0.1', port: t.host.port, path: '/api/events', headers: { host: `127.0.0.1:${t.host.port}`, cookie } });
    const firstTwo = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = frame.split('\n').find((l) => l.startsWith('data: '));
            if (frame.startsWith('event: status') && data) {
              const status = JSON.parse(data.slice(6)).status;
              events.push({ pendingSync: status.pendingSync, unprinted: status.printer.unprinted });
              if (events.length === 2) resolve();
            }
          }
        });
      });
      req.on('error', reject);
    });
    req.end();
    await new Promise((r) => setTimeout(r, 200));
    const other = await openSession(t.host);
    await callApi(t.host, other, 'staff.signIn', { pin: '9999' });
    const m = t.terminal.db.prepare("SELECT card_no, id FROM members WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 12").get() as { card_no: string; id: string };
    await callApi(t.host, other, 'scan.submit', { code: m.card_no });
    const earned = await callApi(t.host, other, 'points.earn', { memberId: m.id, lines: [{ category: 'general', amountFen: 10000 }] });
    expect(earned.json.ok).toBe(true);
    await Promise.race([firstTwo, new Promise((_, reject) => setTimeout(() => reject(new Error('no second status event')), 5000))]);
    req.destroy();
    expect(events[1]!.pendingSync).toBe(events[0]!.pendingSync + 1);
    expect(events[1]!.unprinted).toBe(events[0]!.unprinted + 1);
  });
});
