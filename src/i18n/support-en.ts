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
  doctor: {
    severity: { problem: 'Problem', warn: 'Needs attention', info: 'Note', ok: 'OK' },
    DB_DAMAGED: { title: 'The database is damaged ({{problems}} problems found).', action: 'Stop using this desk. Restore the latest backup (loyalty-desk restore) or call the brand’s support with a support bundle (loyalty-desk doctor --bundle).' },
    AUDIT_CHAIN_BROKEN: { title: 'The audit log is broken at entry {{seq}}: a record was changed or removed.', action: 'Do not change anything by hand. Send a support bundle to the brand’s support; HQ’s copy decides what happened.' },
    AUDIT_ANCHOR_INVALID: { title: 'The audit mark HQ last signed cannot be checked.', action: 'Sync with HQ (day-end or loyalty-desk sync). If it stays, send a support bundle to the brand’s support.' },
    AUDIT_TRUNCATED: { title: 'The audit log is shorter than HQ last saw it (entry {{seq}}): records are missing.', action: 'If this desk was restored from a backup, sync with HQ so it records the restore. Otherwise send a support bundle to the brand’s support.' },
    AUDIT_REWRITTEN: { title: 'The audit log differs from what HQ last saw at entry {{seq}}.', action: 'Do not change anything by hand. Send a support bundle to the brand’s support.' },
    AUDIT_OPERATION_MISMATCH: { title: '{{count}} operations do not match their audit entries.', action: 'Send a support bundle to the brand’s support; keep working only after they answer.' },
    NOT_ENROLLED: { title: 'This terminal is not registered with HQ: nothing it does reaches HQ.', action: 'Register it: get an enrollment code from HQ and enter it in the setup (or run loyalty-desk enroll).' },
    SYNC_NEVER: { title: 'This terminal is registered but has never synced with HQ.', action: 'Check the network to HQ, then run the day-end or loyalty-desk sync.' },
    SYNC_STALE: { title: 'The last sync with HQ was {{hours}} hours ago.', action: 'Check the network to HQ and run the day-end. Offline redemptions stop when the time HQ allows has passed.' },
    OUTBOX_WAITING: { title: '{{count}} operations are waiting to be sent to HQ.', action: 'They go at the next sync; run the day-end to send them now. Nothing is lost while they wait.' },
    RECEIPTS_WAITING: { title: '{{count}} receipts have not printed yet.', action: 'Check the printer (paper, cover, cable). They print by themselves when it is ready, or reprint them from the desk.' },
    PRINTER_NOT_SET: { title: 'No receipt printer is set up, so receipts are not printed ({{count}} waiting).', action: 'To print receipts, set the printer up under Manager → Setup (printer step) or Manager → Devices, or have IT enter its address as "printer" in config.json in the data folder; receipts waiting then print by themselves.' },
    PRINTER_FAULT: { title: 'The receipt printer says: {{state}}.', action: 'Fix the printer (paper, cover, power, cable), then print a test page under Manager → Devices.' },
    SCANNER_FAULT: { title: 'The serial scanner is not connected ({{attempts}} tries).', action: 'Check the scanner’s cable and the port under Manager → Devices; a keyboard scanner or the camera still works meanwhile.' },
    SET_ASIDE_ROWS: { title: '{{count}} rows from HQ could not be read and were set aside.', action: 'Nothing to do at the desk; they are reported to HQ at each sync. If it grows, tell the brand’s support.' },
    CONFLICTS_OPEN: { title: 'HQ decided {{count}} conflicts that nobody has looked at.', action: 'Open Manager → Conflicts, read what HQ decided and acknowledge each.' },
    RESTORED_FROM_BACKUP: { title: 'This terminal was restored from a backup made {{backupAt}}; its history before then is HQ\'s.', action: 'Nothing to do: at its next sync HQ sends back what this terminal did after the backup. If the old PC may still be running, switch it off.' },
    ALL_GOOD: { title: 'Everything checked is in order.', action: 'Nothing to do.' },
    bundleWritten: 'Support bundle written to {{file}}. Send this file to the brand’s support.',
    // Background work that keeps failing (issue 19).
    SYNC_FAILING: { title: 'Syncing with HQ has failed since {{since}} ({{failures}} tries): {{reason}}.', action: 'Check the network and HQ’s address; the desk keeps trying by itself. Operations wait safely meanwhile. If it goes on, send a support bundle (loyalty-desk doctor --bundle) to the brand’s support.' },
    BACKUP_FAILED: { title: 'The daily backup has failed since {{since}} ({{failures}} tries): {{reason}}', action: 'Check the disk space and that the backup folder can be written; the desk tries again every hour. Make one now with Back up now below, or loyalty-desk backup.' },
    BACKUP_OVERDUE: { title: 'The last daily backup is {{hours}} hours old.', action: 'The desk makes one each day it runs. Make one now with Back up now below (or loyalty-desk backup) and check the folder {{folder}}.' },
    RECOVERY_KEY_NEVER_SHOWN: { title: 'The recovery key was never shown: if this PC fails, its backups cannot be opened on another.', action: 'A manager clicks Show the recovery key under Manager → Check-up (or runs loyalty-desk recovery-key), then prints or copies it and keeps the paper apart from this PC.' },
    BACKUP_NONE: { title: 'This terminal has no daily backup yet.', action: 'Make one now with Back up now below (or loyalty-desk backup), and keep the recovery key from setup. Backups go to {{folder}}.' },
  },
} as const;

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type SupportMessages = Shape<typeof supportEn>;
