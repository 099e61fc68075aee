// Issue 18: once the manager closes today, operations carry the next business day (the event says
// dayClosed, as HQ allows), the closed day's report stays as it was, its operations can no longer be
// voided, and the status says where new work goes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalApi } from '../../src/contract/terminalApi';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { deskApi, present } from '../helpers/sessions';

let t: DemoTerminal;
let api: TerminalApi;
beforeEach(() => {
  t = openDemoTerminal(40);
  api = deskApi(t.service);
});
afterEach(() => t.cleanup());

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
  return r.value;
}

describe('after the day-end', () => {
  it('records new work under the next business day and says so', async () => {
    await ok(api['staff.signIn']({ pin: '9999' }));
    await present(api, t, 'M00000001');
    const before = await ok(api['points.earn']({ memberId: 'M00000001', lines: [{ category: 'general', amountFen: 1000 }] }));
    expect((await ok(api['status.get']({}))).day).toEqual({ date: '2026-11-23', afterClose: false });
    const closed = await ok(api['manager.dayEnd']({}));
    expect(closed.report.redemptions.count + closed.report.points.earned).toBeGreaterThan(0);
    expect((await ok(api['status.get']({}))).day).toEqual({ date: '2026-11-24', afterClose: true });

    t.clock.now = NOW + 60_000;
    const after = await ok(api['points.earn']({ memberId: 'M00000001', lines: [{ category: 'general', amountFen: 2000 }] }));
    const row = (id: string) => t.db.prepare('SELECT business_date AS d FROM operations WHERE id = ?').get(id) as { d: string };
    expect(row(before.opId).d).toBe('2026-11-23');
    expect(row(after.opId).d).toBe('2026-11-24');
    const event = (id: string) => JSON.parse((t.db.prepare('SELECT payload_json AS p FROM outbox WHERE op_id = ?').get(id) as { p: string }).p) as { businessDate: string; dayClosed: boolean };
    expect(event(before.opId)).toMatchObject({ businessDate: '2026-11-23', dayClosed: false });
    expect(event(after.opId)).toMatchObject({ businessDate: '2026-11-24', dayClosed: true });

    // The closed day's report is final; its operations are no longer voided at the desk.
    const report = await ok(api['manager.zReport']({}));
    expect(report).toMatchObject({ closed: true, lateOperations: 0, points: { earned: closed.report.points.earned } });
    const refused = await api['operation.void']({ opId: before.opId });
    expect(!refused.ok && refused.error.code).toBe('VOID_NOT_SAME_DAY');
    expect((await ok(api['operation.void']({ opId: after.opId }))).opId).toBeTruthy();
  });
});
