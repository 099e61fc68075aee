// The standard redemption receipt: what the bench measures and the print tests start from.

export const SAMPLE_OP_ID = '019ab1c2-3d4e-7f00-8a1b-2c3d4e5f6a7b';
import type { ReceiptModel } from '../contract/deskTypes';

export function sampleReceipt(over: Partial<ReceiptModel> = {}): ReceiptModel {
  return {
    v: 1,
    kind: 'redeem',
    opId: SAMPLE_OP_ID,
    at: Date.UTC(2026, 10, 23, 2, 0),
    tz: 'Asia/Shanghai',
    store: { id: 'SH001', name: { 'zh-CN': '上海南京西路店', 'zh-TW': '上海南京西路店', en: 'Shanghai West Nanjing Rd' } },
    terminalId: 'SH001-T1',
    staff: { id: 'clerk-01', name: '王芳' },
    approvedBy: null,
    member: { id: 'M00000001', maskedName: '张*', maskedPhone: '****1234', tier: 'advanced' },
    subject: { id: 'B-1', name: { 'zh-CN': '满100减20代金券', 'zh-TW': '滿100減20代金券', en: '¥20 off a ¥100 purchase' } },
    valueFen: 2000,
    amountFen: 12000,
    pointsBefore: 1200,
    pointsAfter: 1200,
    targetOpId: null,
    offline: true,
    ...over,
  };
}
