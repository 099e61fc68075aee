// The demo brand's privacy terms (a demo text, not legal advice): what the member reads before the
// desk opens a card. `hq-admin seed-demo` publishes them at HQ; the terminal's own demo seed keeps them.
export const DEMO_TERMS = {
  version: 1,
  text: {
    'zh-CN': [
      '会员隐私条款（演示文本）',
      '1. 我们收集：手机号（用于找到您的会员卡）、姓名、生日的月和日（用于生日礼遇）、消费与积分记录。',
      '2. 门店终端只保存手机号的加密摘要和后四位，不保存完整号码；完整号码仅保存在品牌总部。',
      '3. 这些信息只用于会员积分、权益和服务，不出售给任何第三方。',
      '4. 您可以随时在服务台或通过客服查询、更正或删除您的信息，或注销会员。',
      '5. 点“同意”即表示您已阅读并同意本条款。',
    ].join('\n'),
    'zh-TW': [
      '會員隱私條款（示範文本）',
      '1. 我們蒐集：手機號碼（用於找到您的會員卡）、姓名、生日的月和日（用於生日禮遇）、消費與點數紀錄。',
      '2. 門市終端只保存手機號碼的加密摘要和末四碼，不保存完整號碼；完整號碼僅保存在品牌總部。',
      '3. 這些資料只用於會員點數、權益和服務，不出售給任何第三方。',
      '4. 您可以隨時在服務台或透過客服查詢、更正或刪除您的資料，或終止會員資格。',
      '5. 點「同意」即表示您已閱讀並同意本條款。',
    ].join('\n'),
    en: [
      'Member privacy terms (demo text)',
      '1. We collect: your mobile number (to find your card), your name, the month and day of your birthday (for birthday treats), and your purchases and points.',
      '2. Store terminals keep only a keyed digest and the last four digits of your number, never the whole number; the whole number is kept only at the brand\'s HQ.',
      '3. This is used only for your points, benefits and service, and is never sold to anyone.',
      '4. You may see, correct or delete your data, or close your membership, at the desk or through customer service at any time.',
      '5. Tapping Agree means you have read and agree to these terms.',
    ].join('\n'),
  },
} as const;

/** Card numbers a demo terminal may issue without HQ (a real terminal gets its blocks from HQ). */
export const DEMO_CARD_BLOCK = { start: 1, size: 1000 } as const;
