// Support's words: the log's reading (`loyalty-desk logs --pretty`) and doctor's findings, English.
// support-zh-CN.ts and support-zh-TW.ts have exactly these keys.
export const supportEn = {
  log: {
    level: { debug: 'detail', info: 'info', warn: 'warning', error: 'error' },
    host: { web: 'Desk (web host)', electron: 'Desk (desktop app)', kiosk: 'Member kiosk', cli: 'Command line' },
    session: { desk: 'desk', kiosk: 'kiosk', operator: 'command line' },
    event: {
      'host.start': '{{hostText}} started (version {{version}}, database schema {{schemaVersion}}, language {{lang}})',
      'host.stop': '{{hostText}} stopped',
      call: '{{sessionText}} call {{method}} done in {{ms}} ms',
      callRefused: '{{sessionText}} call {{method}} refused: {{code}} ({{ms}} ms)',
      'internal': 'Unexpected error {{errorName}} (reference {{ref}}) at {{where}}',
      'sync.done': 'Synced with HQ in {{ms}} ms: {{pushed}} sent, {{pulled}} received, {{pending}} still waiting',
      'sync.failed': 'Sync with HQ failed after {{ms}} ms: {{code}}',
      'print.printed': 'Receipt job {{printJobId}} printed ({{printer}}, attempt {{attempts}})',
      'print.failed': 'Receipt job {{printJobId}} did not print ({{printer}}, attempt {{attempts}}): {{code}} {{state}}',
      'cli.command': 'Command “{{command}}” ended with exit code {{exitCode}}',
    },
    unknownMethod: 'an unknown method',
    unreadable: '{{count}} lines could not be read (cut off or edited) and are not shown.',
    none: 'No log lines match.',
  },
} as const;

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type SupportMessages = Shape<typeof supportEn>;
