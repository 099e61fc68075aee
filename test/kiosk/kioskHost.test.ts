// The web host in kiosk mode over loopback HTTP: each session holds a KioskApi only, so a staff
// method is refused by the core (403 KIOSK_STAFF_ONLY), the desk page is never served, and the
// desk host's guards (session cookie, Origin) hold here too.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskHost, type RunningKioskHost } from '../../src/host/kioskServer';
import { createTranslator } from '../../src/i18n';
import { createDispatcher } from '../../src/terminal/session/dispatcher';
import type { RunningHost } from '../../src/host/server';
import { openTerminal, type OpenedTerminal } from '../../src/terminal/operations/openTerminal';
import { NOW, seedDemoDb } from '../helpers/demoDb';
import { demoPhones } from '../helpers/demoPhones';
import { callApi, openSession, send } from '../host/helpers';
import { cardCode, hqKeyOf } from '../scan/fixtures';

let host: RunningKioskHost;
let terminal: OpenedTerminal;
let seeded: ReturnType<typeof seedDemoDb>;
const asHost = () => host as unknown as RunningHost;

beforeAll(async () => {
  seeded = seedDemoDb(100);
  terminal = openTerminal(seeded.dbPath, { clock: () => NOW });
  const rendererDir = join(seeded.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'kiosk.html'), '<!doctype html><title>kiosk</title><div id="root" data-page="kiosk"></div>');
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>desk</title><div id="root" data-page="desk"></div>');
  host = await startKioskHost({ dispatcher: createDispatcher(terminal.service, { kiosk: { printer: () => ({ state: 'ready', name: 'test' }) } }), rendererDir });
});
afterAll(async () => {
  await host.close();
  terminal.close();
  seeded.cleanup();
});

describe('the kiosk host', () => {
  it('binds to loopback, serves the kiosk page at / and never the desk page', async () => {
    expect(host.boundAddress).toBe('127.0.0.1');
    const cookie = await openSession(asHost());
    const root = await send(asHost(), '/', { headers: { cookie } });
    expect(root.status).toBe(200);
    expect(root.body).toContain('data-page="kiosk"');
    expect(root.headers['content-security-policy']).toContain("default-src 'self'");
    const desk = await send(asHost(), '/index.html', { headers: { cookie } });
    expect(desk.status).toBe(404);
    expect(desk.body).not.toContain('data-page="desk"');
    expect((await send(asHost(), '/api/events', { headers: { cookie } })).status).toBe(404);
  });

  it('refuses every staff method by name in the core, and unknown methods as such', async () => {
    const cookie = await openSession(asHost());
    for (const [method, input] of [
      ['staff.signIn', { pin: '1234' }],
      ['benefit.redeem', { memberId: 'M00000001', benefitId: 'B-VOUCHER-20' }],
      ['operation.void', { opId: '00000000-0000-7000-8000-000000000000' }],
      ['session.current', {}],
    ] as const) {
      const r = await callApi(asHost(), cookie, method, input);
      expect(r.status, method).toBe(403);
      expect(r.json).toMatchObject({ ok: false, error: { code: 'KIOSK_STAFF_ONLY', params: { method } } });
    }
    const unknown = await callApi(asHost(), cookie, 'kiosk.everything', {});
    expect(unknown.status).toBe(404);
    expect(terminal.db.prepare('SELECT count(*) AS n FROM operations').get()).toEqual({ n: 0 });
  });

  it('words a body it cannot read for the member, never with internals or a template', async () => {
    const cookie = await openSession(asHost());
    const zh = createTranslator('zh-CN');
    for (const body of ['{not json', 'x'.repeat(70 * 1024)]) {
      const r = await send(asHost(), '/api/kiosk.scan', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', origin: asHost().origin },
        body,
      });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.json).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: zh.t('kiosk.refusal.INVALID_INPUT') } });
      expect(r.body).not.toMatch(/\{\{|JSON|Unexpected|body/i);
    }
  });

  it('opens a member page over HTTP, and keeps the desk host guards', async () => {
    const cookie = await openSession(asHost());
    const m = terminal.db.prepare("SELECT id, card_serial, name FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string; card_serial: number; name: string };
    const phone = demoPhones({ seed: 'test', now: NOW, members: 100 }).get(m.id)!;
    const r = await callApi(asHost(), cookie, 'kiosk.scan', { code: cardCode(hqKeyOf(seeded.dir), m.id, m.card_serial, NOW) });
    expect(r.status).toBe(200);
    expect(r.json.ok).toBe(true);
    expect(r.body).not.toContain(phone.slice(-4));
    expect(r.body).not.toContain(m.name);
    // No session: refused; another origin: refused.
    expect((await callApi(asHost(), null, 'kiosk.status', {})).status).toBe(401);
    expect((await callApi(asHost(), cookie, 'kiosk.status', {}, { origin: 'http://evil.example' })).status).toBe(403);
    const noSession = await send(asHost(), '/');
    expect(noSession.status).toBe(401);
    expect(noSession.body).toContain('The kiosk is resting');
  });
});
