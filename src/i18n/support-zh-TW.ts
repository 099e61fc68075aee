// 支援人員用語：日誌的可讀形式（`loyalty-desk logs --pretty`）和 doctor 的檢查結果，繁體中文。
import type { SupportMessages } from './support-en';

export const supportZhTW: SupportMessages = {
  log: {
    level: { debug: '細節', info: '資訊', warn: '警告', error: '錯誤' },
    host: { web: '服務台（網頁版）', electron: '服務台（桌面版）', kiosk: '會員自助機', cli: '命令列' },
    session: { desk: '服務台', kiosk: '自助機', operator: '命令列' },
    event: {
      'host.start': '{{hostText}}已啟動（版本 {{version}}，資料庫結構 {{schemaVersion}}，語言 {{lang}}）',
      'host.stop': '{{hostText}}已停止',
      call: '{{sessionText}}呼叫 {{method}}，完成，用時 {{ms}} 毫秒',
      callRefused: '{{sessionText}}呼叫 {{method}}，被拒絕：{{code}}（{{ms}} 毫秒）',
      'internal': '意外錯誤 {{errorName}}（編號 {{ref}}），位置 {{where}}',
      'sync.done': '與總部同步完成，用時 {{ms}} 毫秒：送出 {{pushed}} 筆，收到 {{pulled}} 筆，仍待送出 {{pending}} 筆',
      'sync.failed': '與總部同步失敗（{{ms}} 毫秒）：{{code}}',
      'print.printed': '收據任務 {{printJobId}} 已列印（{{printer}}，第 {{attempts}} 次）',
      'print.failed': '收據任務 {{printJobId}} 未能列印（{{printer}}，第 {{attempts}} 次）：{{code}} {{state}}',
      'cli.command': '命令「{{command}}」結束，結束碼 {{exitCode}}',
    },
    unknownMethod: '未知方法',
    unreadable: '有 {{count}} 行無法讀取（被截斷或被改動），未顯示。',
    none: '沒有符合條件的日誌。',
  },
};
