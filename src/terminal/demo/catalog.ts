// The demo store's fixed data: stores, staff, benefits of every type, the points catalog, stock.
import { DAY_MS } from '../../loyalty/time';
import type { BenefitDef, CatalogItem, LocalizedText } from '../../loyalty/types';
import type { StaffRole } from '../../contract/deskTypes';

const t = (zhCN: string, zhTW: string, en: string): LocalizedText => ({ 'zh-CN': zhCN, 'zh-TW': zhTW, en });

export const DEMO_STORE = { id: 'SH001', name: t('上海南京西路店', '上海南京西路店', 'Shanghai West Nanjing Rd'), tz: 'Asia/Shanghai' };
export const DEMO_OTHER_STORE = { id: 'BJ001', name: t('北京三里屯店', '北京三里屯店', 'Beijing Sanlitun'), tz: 'Asia/Shanghai' };
export const DEMO_TERMINAL = 'SH001-T1';

export const DEMO_STAFF: { id: string; name: string; role: StaffRole; pin: string }[] = [
  { id: 'clerk-01', name: '王芳', role: 'clerk', pin: '1234' },
  { id: 'clerk-02', name: '陈磊', role: 'clerk', pin: '2345' },
  { id: 'mgr-01', name: '李娜', role: 'manager', pin: '9999' },
];
/** The second store's staff: HQ accepts an operation only from staff of the terminal's own store. */
export const DEMO_OTHER_STAFF: { id: string; name: string; role: StaffRole; pin: string }[] = [
  { id: 'bj-clerk-01', name: '周婷', role: 'clerk', pin: '1111' },
  { id: 'bj-mgr-01', name: '孙伟', role: 'manager', pin: '8888' },
];

export const DEMO_STOCK: { sku: string; name: LocalizedText; qty: number }[] = [
  { sku: 'GIFT-MUG', name: t('品牌马克杯', '品牌馬克杯', 'Brand mug'), qty: 50 },
  { sku: 'GIFT-BDAY', name: t('生日蛋糕券', '生日蛋糕券', 'Birthday cake coupon'), qty: 100 },
  { sku: 'GIFT-CORE', name: t('核心会员礼盒', '核心會員禮盒', 'Core welcome box'), qty: 30 },
  { sku: 'GIFT-PREMIUM', name: t('尊享会员礼盒', '尊享會員禮盒', 'Premium welcome box'), qty: 10 },
  { sku: 'BOX-A', name: t('香氛蜡烛', '香氛蠟燭', 'Scented candle'), qty: 40 },
  { sku: 'BOX-B', name: t('丝巾', '絲巾', 'Silk scarf'), qty: 20 },
  { sku: 'BOX-C', name: t('限量徽章', '限量徽章', 'Limited badge'), qty: 0 },
  { sku: 'CAT-BAG', name: t('帆布袋', '帆布袋', 'Canvas bag'), qty: 80 },
  { sku: 'CAT-CUP', name: t('保温杯', '保溫杯', 'Vacuum flask'), qty: 25 },
  { sku: 'CAT-EAR', name: t('蓝牙耳机', '藍牙耳機', 'Bluetooth earbuds'), qty: 5 },
  { sku: 'CAT-COFFEE', name: t('咖啡券', '咖啡券', 'Coffee coupon'), qty: 200 },
];

export const DEMO_CATALOG: CatalogItem[] = [
  { id: 'C-COFFEE', name: t('咖啡券', '咖啡券', 'Coffee coupon'), sku: 'CAT-COFFEE', pointsCost: 300, valueFen: 2_500, tiers: [], active: true },
  { id: 'C-BAG', name: t('帆布袋', '帆布袋', 'Canvas bag'), sku: 'CAT-BAG', pointsCost: 500, valueFen: 3_900, tiers: [], active: true },
  { id: 'C-CUP', name: t('保温杯', '保溫杯', 'Vacuum flask'), sku: 'CAT-CUP', pointsCost: 1_500, valueFen: 12_900, tiers: [], active: true },
  { id: 'C-EAR', name: t('蓝牙耳机', '藍牙耳機', 'Bluetooth earbuds'), sku: 'CAT-EAR', pointsCost: 8_000, valueFen: 39_900, tiers: ['core', 'premium'], active: true },
];

/** Benefits of every type, valid around `now`. */
export function demoBenefits(now: number): BenefitDef[] {
  const from = now - 90 * DAY_MS;
  const to = now + 275 * DAY_MS;
  const base = { validFrom: from, validTo: to, tiers: [], stores: [], perMemberLimit: null, perDayLimit: null, offlineRedeemable: true, requiresGrant: false };
  const box = (sku: string, weight: number, valueFen: number) => ({ sku, weight, valueFen, name: DEMO_STOCK.find((s) => s.sku === sku)!.name });
  return [
    { ...base, id: 'B-THRESHOLD-100-10', name: t('满100减10', '滿100折10', '¥10 off ¥100'), params: { type: 'threshold_coupon', thresholdFen: 10_000, offFen: 1_000 }, perDayLimit: 1 },
    { ...base, id: 'B-DISCOUNT-95', name: t('95折券', '95折券', '5% off'), params: { type: 'discount_coupon', payPermille: 950, maxOffFen: 5_000, minSpendFen: 20_000 }, tiers: ['advanced', 'core', 'premium'], perMemberLimit: 3 },
    { ...base, id: 'B-VOUCHER-20', name: t('20元代金券', '20元抵用券', '¥20 voucher'), params: { type: 'voucher', valueFen: 2_000 } },
    { ...base, id: 'B-GIFT-MUG', name: t('会员马克杯', '會員馬克杯', 'Member mug'), params: { type: 'gift', sku: 'GIFT-MUG', valueFen: 3_900 }, tiers: ['core', 'premium'], perMemberLimit: 1 },
    { ...base, id: 'B-SVC-WRAP', name: t('免费礼品包装', '免費禮品包裝', 'Free gift wrap'), params: { type: 'service', service: 'gift_wrap', valueFen: 0 }, perDayLimit: 2 },
    { ...base, id: 'B-SVC-WARRANTY', name: t('延长保修一年', '延長保固一年', 'One-year extended warranty'), params: { type: 'service', service: 'extended_warranty', valueFen: 9_900 }, tiers: ['premium'], offlineRedeemable: false },
    { ...base, id: 'B-BIRTHDAY', name: t('生日礼', '生日禮', 'Birthday gift'), params: { type: 'birthday_gift', sku: 'GIFT-BDAY', valueFen: 5_800 } },
    { ...base, id: 'B-BLIND-BOX', name: t('会员盲盒', '會員盲盒', 'Member blind box'), params: { type: 'blind_box', pool: [box('BOX-A', 60, 4_900), box('BOX-B', 30, 12_900), box('BOX-C', 10, 29_900)] }, tiers: ['advanced', 'core', 'premium'], perMemberLimit: 2 },
    { ...base, id: 'B-WELCOME-CORE', name: t('核心会员升级礼', '核心會員升等禮', 'Core welcome gift'), params: { type: 'tier_welcome', tier: 'core', sku: 'GIFT-CORE', valueFen: 8_800 }, requiresGrant: true, perMemberLimit: 1 },
    { ...base, id: 'B-WELCOME-PREMIUM', name: t('尊享会员升级礼', '尊享會員升等禮', 'Premium welcome gift'), params: { type: 'tier_welcome', tier: 'premium', sku: 'GIFT-PREMIUM', valueFen: 28_800 }, requiresGrant: true, perMemberLimit: 1 },
    { ...base, id: 'B-WINBACK', name: t('回归礼 满200减30', '回歸禮 滿200折30', 'Welcome back: ¥30 off ¥200'), params: { type: 'win_back', dormantDays: 90, thresholdFen: 20_000, offFen: 3_000 }, perMemberLimit: 1 },
    { ...base, id: 'B-REFERRAL', name: t('推荐好友奖励', '推薦好友獎勵', 'Referral reward'), params: { type: 'referral_reward', valueFen: 3_000 }, requiresGrant: true },
    { ...base, id: 'B-MEMBER-DAY', name: t('会员日 满150减20', '會員日 滿150折20', 'Member day: ¥20 off ¥150'), params: { type: 'member_day', thresholdFen: 15_000, offFen: 2_000 }, perDayLimit: 1 },
    { ...base, id: 'B-BJ-ONLY', name: t('三里屯店专享券', '三里屯店專享券', 'Sanlitun-only voucher'), params: { type: 'voucher', valueFen: 1_500 }, stores: ['BJ001'] },
    { ...base, id: 'B-SPRING', name: t('春季新品券', '春季新品券', 'Spring launch coupon'), params: { type: 'voucher', valueFen: 1_000 }, validFrom: now + 60 * DAY_MS },
    { ...base, id: 'B-SUMMER-OLD', name: t('夏季清仓券', '夏季清倉券', 'Summer clearance coupon'), params: { type: 'voucher', valueFen: 1_000 }, validFrom: now - 200 * DAY_MS, validTo: now - 30 * DAY_MS },
  ];
}
