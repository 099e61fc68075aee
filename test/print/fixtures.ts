// Receipt models for the print tests: one per operation kind, Chinese store and staff names.
import { SAMPLE_OP_ID, sampleReceipt } from '../../src/bench/sampleReceipt';
import type { ZReport } from '../../src/print/zReport';
import type { ReceiptModel } from '../../src/contract/deskTypes';

export const OP_ID = SAMPLE_OP_ID;

export function model(over: Partial<ReceiptModel> = {}): ReceiptModel {
  return sampleReceipt(over);
}

export const Z_REPORT: ZReport = {
  v: 1,
  businessDate: '2026-11-23',
  number: 17,
  store: { id: 'SH001', name: { 'zh-CN': '上海南京西路店', 'zh-TW': '上海南京西路店', en: 'Shanghai West Nanjing Rd' } },
  terminalId: 'SH001-T1',
  tz: 'Asia/Shanghai',
  closedAt: Date.UTC(2026, 10, 23, 14, 0),
  synced: false,
  redemptions: { count: 42, valueFen: 123450, byType: [{ type: 'voucher', count: 30, valueFen: 60000 }, { type: 'gift', count: 12, valueFen: 63450 }] },
  points: { earned: 9876, burned: 4321, donated: 500, expired: 120 },
  voids: [
    { opId: OP_ID, kind: 'redeem', valueFen: 2000, points: 0, approvedBy: { id: 'mgr-01', name: '李店长' } },
    // A voided earn moves no money: its line shows the points it took back.
    { opId: OP_ID, kind: 'earn', valueFen: 0, points: -2_580_000, approvedBy: { id: 'mgr-01', name: '李店长' } },
  ],
  byStaff: [{ staffId: 'clerk-01', name: '王芳', count: 40, valueFen: 120000 }],
  returns: { count: 2, amountFen: 39900, points: 598, shortfall: 0, owed: 0 },
  pending: 3,
  conflicts: 1,
};
