// Issue 18: a manager's approval never swaps the signed-in clerk, and a lockout a manager can lift.
// The manager area's pad approves for the clerk: the clerk stays signed in, manager work is recorded
// as the clerk's with the manager's approval, and later work is the clerk's alone. Five wrong PINs
// lock the pad; a manager's PIN lifts it at once (audited), and wrong PINs at the unlock count too.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalApi } from '../../src/contract/terminalApi';
import { createTranslator } from '../../src/i18n';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { deskApi, present } from '../helpers/sessions';
import { snapshot } from '../helpers/snapshot';

const zh = createTranslator('zh-CN');
let t: DemoTerminal;
let api: TerminalApi;
beforeEach(() => {
  t = openDemoTerminal(60);
  api = deskApi(t.service);
});
afterEach(() => t.cleanup());

interface AuditRow {
  actor: string;
  action: string;
  content_json: string;
}
const audits = (action: string) => (t.db.prepare('SELECT actor, action, content_json FROM audit WHERE action = ? ORDER BY seq').all(action) as AuditRow[]).map((r) => ({ actor: r.actor, data: JSON.parse(r.content_json).data as Record<string, unknown> }));

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
  return r.value;
}

describe("a manager's approval at the desk", () => {
  it('keeps the clerk signed in and records manager work as the clerk\'s with the approval', async () => {
    await ok(api['staff.signIn']({ pin: '1234' })); // 王芳, a clerk
    expect((await api['manager.staff.list']({})).ok).toBe(false);
    const approved = await ok(api['manager.approve']({ pin: '9999' })); // 李娜, the manager
    expect(approved).toEqual({ actor: { id: 'clerk-01', name: '王芳', role: 'clerk' }, manager: { id: 'mgr-01', name: '李娜', role: 'manager' } });
    expect((await ok(api['session.current']({}))).staff).toEqual({ id: 'clerk-01', name: '王芳', role: 'clerk' });

    await ok(api['manager.staff.add']({ name: '新员工', pin: '5151' }));
    expect(audits('staff.add').at(-1)).toMatchObject({ actor: 'clerk-01', data: { approvedBy: 'mgr-01' } });
    await ok(api['manager.settings.set']({ lang: 'en' }));
    expect(audits('settings.update').at(-1)).toMatchObject({ actor: 'clerk-01', data: { approvedBy: 'mgr-01' } });
    const closed = await ok(api['manager.dayEnd']({}));
    expect(closed.report).toMatchObject({ closedBy: 'clerk-01', closedByName: '王芳', closeApprovedBy: { id: 'mgr-01', name: '李娜' } });
    expect(audits('day.closed').at(-1)).toMatchObject({ actor: 'clerk-01', data: { approvedBy: 'mgr-01' } });

    // Leaving the manager area ends the approval; the desk's work is the clerk's.
    await ok(api['manager.leave']({}));
    const refused = await api['manager.staff.list']({});
    expect(!refused.ok && refused.error.code).toBe('NOT_MANAGER');
    await present(api, t, 'M00000001');
    const earned = await ok(api['points.earn']({ memberId: 'M00000001', lines: [{ category: 'general', amountFen: 1000 }] }));
    const op = t.db.prepare('SELECT staff_id, approved_by FROM operations WHERE id = ?').get(earned.opId) as { staff_id: string; approved_by: string | null };
    expect(op).toEqual({ staff_id: 'clerk-01', approved_by: null });
  });

  it('lets a manager signed in act alone, with no approval recorded', async () => {
    await ok(api['staff.signIn']({ pin: '9999' }));
    await ok(api['manager.staff.add']({ name: '新员工', pin: '5151' }));
    expect(audits('staff.add').at(-1)).toEqual({ actor: 'mgr-01', data: { name: '新员工', role: 'clerk' } });
  });

  it("counts a clerk's PIN at the approval as a wrong one, in the UI's language, and locks after five", async () => {
    await ok(api['staff.signIn']({ pin: '1234' }));
    await ok(api['session.setLang']({ lang: 'zh-TW' }));
    const answers = [];
    for (const pin of ['2345', '0000', '1234', '0001', '0002']) answers.push(await api['manager.approve']({ pin }));
    expect(answers.map((a) => !a.ok && a.error.code)).toEqual(['MANAGER_PIN_WRONG', 'MANAGER_PIN_WRONG', 'MANAGER_PIN_WRONG', 'MANAGER_PIN_WRONG', 'LOCKED_OUT']);
    expect(!answers[0]!.ok && answers[0]!.error.message).toBe(createTranslator('zh-TW').error('MANAGER_PIN_WRONG', { left: 4 }));
    expect(!answers[0]!.ok && answers[0]!.error.message).toMatch(/^[^A-Za-z]*PIN[^A-Za-z]*$/);
    // The clerk is still signed in; the manager's own PIN waits for the lock.
    expect((await ok(api['session.current']({}))).staff?.id).toBe('clerk-01');
  });

  it("refuses a clerk's PIN in the void dialog and at a large earn exactly as a wrong PIN, counted, and writes nothing", async () => {
    await ok(api['staff.signIn']({ pin: '1234' }));
    const member = (t.db.prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string }).id;
    await present(api, t, member);
    const earned = await ok(api['points.earn']({ memberId: member, lines: [{ category: 'general', amountFen: 5_000 }] }));
    const before = snapshot(t.db, ['lockouts']);
    const attempts = [
      () => api['operation.void']({ opId: earned.opId, managerPin: '2345' }), // 陈磊, a clerk
      () => api['operation.void']({ opId: earned.opId, managerPin: '0000' }), // nobody's
      () => api['points.earn']({ memberId: member, lines: [{ category: 'general', amountFen: 3_000_000 }], managerPin: '2345' }),
    ];
    const answers = [];
    for (const attempt of attempts) answers.push(await attempt());
    expect(answers.map((r) => !r.ok && r.error.code)).toEqual(['MANAGER_PIN_WRONG', 'MANAGER_PIN_WRONG', 'MANAGER_PIN_WRONG']);
    // The clerk's PIN and a wrong one read alike; each counts toward the lockout (4, 3, 2 left).
    expect(answers.map((r) => !r.ok && r.error.message)).toEqual([4, 3, 2].map((left) => zh.error('MANAGER_PIN_WRONG', { left })));
    expect(snapshot(t.db, ['lockouts'])).toEqual(before);
    expect((await ok(api['session.current']({}))).staff?.id).toBe('clerk-01');
    // The manager's PIN still voids it, approved by the manager.
    const voided = await ok(api['operation.void']({ opId: earned.opId, managerPin: '9999' }));
    expect(t.db.prepare('SELECT approved_by FROM operations WHERE id = ?').get(voided.opId)).toEqual({ approved_by: 'mgr-01' });
  });

  it('lapses after ten minutes unused', async () => {
    await ok(api['staff.signIn']({ pin: '1234' }));
    await ok(api['manager.approve']({ pin: '9999' }));
    t.clock.now = NOW + 11 * 60_000;
    const r = await api['manager.staff.list']({});
    expect(!r.ok && r.error.code).toBe('NOT_MANAGER');
  });

  it('ends at sign-out and when someone else signs in', async () => {
    await ok(api['staff.signIn']({ pin: '1234' }));
    await ok(api['manager.approve']({ pin: '9999' }));
    await ok(api['staff.signIn']({ pin: '2345' }));
    expect((await api['manager.staff.list']({})).ok).toBe(false);
    await ok(api['manager.approve']({ pin: '9999' }));
    await ok(api['staff.signOut']({}));
    await ok(api['staff.signIn']({ pin: '2345' }));
    expect((await api['manager.staff.list']({})).ok).toBe(false);
  });
});

describe('the lockout a manager can lift', () => {
  async function lockPad(): Promise<void> {
    for (let i = 0; i < 5; i++) await api['staff.signIn']({ pin: '0000' });
    const r = await api['staff.signIn']({ pin: '9999' });
    expect(!r.ok && r.error.code, "the manager's PIN at the sign-in is refused while locked").toBe('LOCKED_OUT');
  }

  it('says how long is left, and the status says the pad is locked', async () => {
    await lockPad();
    t.clock.now = NOW + 90_000;
    const r = await api['staff.signIn']({ pin: '1234' });
    expect(!r.ok && r.error).toMatchObject({ code: 'LOCKED_OUT', params: { secondsLeft: 210, minutesLeft: 4 } });
    expect(!r.ok && r.error.message).toBe('PIN 错误次数过多，服务台已锁定到 2026-11-23 10:05（还剩约 4 分钟）。店长可输入店长 PIN 立即解锁。');
    expect((await ok(api['status.get']({}))).lockedUntil).toBe(NOW + 5 * 60_000);
  });

  it("lifts at once with a manager's PIN, audited, and signs no one in", async () => {
    await lockPad();
    const lifted = await ok(api['staff.unlock']({ pin: '9999' }));
    expect(lifted).toEqual({ lifted: true, by: { id: 'mgr-01', name: '李娜', role: 'manager' } });
    expect(audits('pin.unlocked')).toEqual([{ actor: 'mgr-01', data: { lockedUntil: NOW + 5 * 60_000, unlockTries: 0 } }]);
    expect((await ok(api['session.current']({}))).staff).toBeNull();
    expect((await ok(api['status.get']({}))).lockedUntil).toBeNull();
    expect((await ok(api['staff.signIn']({ pin: '1234' }))).id).toBe('clerk-01');
  });

  it("counts wrong PINs at the unlock: a clerk's PIN is no key, and five start the five minutes again", async () => {
    await lockPad();
    t.clock.now = NOW + 4 * 60_000;
    const answers = [];
    for (const pin of ['1234', '0000', '0001', '0002']) answers.push(await api['staff.unlock']({ pin }));
    expect(answers.map((a) => !a.ok && a.error.code)).toEqual(['UNLOCK_PIN_WRONG', 'UNLOCK_PIN_WRONG', 'UNLOCK_PIN_WRONG', 'UNLOCK_PIN_WRONG']);
    expect(!answers[3]!.ok && answers[3]!.error.message).toBe('这不是店长的 PIN，未解锁。再错 1 次，锁定将从现在起重新计时 5 分钟。');
    const fifth = await api['staff.unlock']({ pin: '0003' });
    expect(!fifth.ok && fifth.error).toMatchObject({ code: 'LOCKED_OUT', params: { until: NOW + 9 * 60_000 } });
    // The first lock's five minutes are over, but the unlock's wrong PINs locked it again.
    t.clock.now = NOW + 6 * 60_000;
    const r = await api['staff.signIn']({ pin: '1234' });
    expect(!r.ok && r.error.code).toBe('LOCKED_OUT');
    expect(audits('pin.unlocked')).toEqual([]);
    // The manager still lifts it.
    expect((await ok(api['staff.unlock']({ pin: '9999' }))).lifted).toBe(true);
  });

  it('checks nothing and writes nothing when the pad is not locked', async () => {
    const before = snapshot(t.db);
    expect(await ok(api['staff.unlock']({ pin: '0000' }))).toEqual({ lifted: false, by: null });
    expect(snapshot(t.db)).toEqual(before);
  });
});
