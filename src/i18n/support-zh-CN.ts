// 支持人员用语：日志的可读形式（`loyalty-desk logs --pretty`）和 doctor 的检查结果，简体中文。
import type { SupportMessages } from './support-en';

export const supportZhCN: SupportMessages = {
  log: {
    level: { debug: '细节', info: '信息', warn: '警告', error: '错误' },
    host: { web: '服务台（网页版）', electron: '服务台（桌面版）', kiosk: '会员自助机', cli: '命令行' },
    session: { desk: '服务台', kiosk: '自助机', operator: '命令行' },
    event: {
      'host.start': '{{hostText}}已启动（版本 {{version}}，数据库结构 {{schemaVersion}}，语言 {{lang}}）',
      'host.stop': '{{hostText}}已停止',
      call: '{{sessionText}}调用 {{method}}，完成，用时 {{ms}} 毫秒',
      callRefused: '{{sessionText}}调用 {{method}}，被拒绝：{{code}}（{{ms}} 毫秒）',
      'internal': '意外错误 {{errorName}}（编号 {{ref}}），位置 {{where}}',
      'sync.done': '与总部同步完成，用时 {{ms}} 毫秒：发出 {{pushed}} 条，收到 {{pulled}} 条，仍待发送 {{pending}} 条',
      'sync.failed': '与总部同步失败（{{ms}} 毫秒）：{{code}}',
      'print.printed': '小票任务 {{printJobId}} 已打印（{{printer}}，第 {{attempts}} 次）',
      'print.failed': '小票任务 {{printJobId}} 未能打印（{{printer}}，第 {{attempts}} 次）：{{code}} {{state}}',
      'cli.command': '命令“{{command}}”结束，退出码 {{exitCode}}',
    },
    unknownMethod: '未知方法',
    unreadable: '有 {{count}} 行无法读取（被截断或被改动），未显示。',
    none: '没有符合条件的日志。',
  },
};
