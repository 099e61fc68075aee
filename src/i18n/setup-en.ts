// The setup screen's words (renderer/setup/), English. setup-zh-CN.ts and setup-zh-TW.ts have exactly these keys.
export const setupEn = {
  title: 'Set up this terminal',
  /** The manager area's tab, and the day-end's way there when the terminal is not enrolled. */
  tab: 'Setup',
  dayEndLink: 'Set up this terminal',
  steps: { lang: 'Language', hq: 'HQ', printer: 'Printer', scanner: 'Scanner', done: 'Open the desk' },
  next: 'Next',
  back: 'Back',
  lang: { prompt: 'Choose the language of this desk. Staff can change it later.' },
  hq: {
    prompt: 'Enter the HQ address and the one-time enrollment code HQ gave you.',
    url: 'HQ address',
    urlHint: 'https://hq.example.com',
    code: 'Enrollment code',
    codeHint: 'ABCD-EFGH-JKLM',
    enroll: 'Enroll and sync',
    enrolling: 'Enrolling with HQ…',
    syncing: 'Taking HQ\'s data: {{pulled}} rows, {{pages}} pages',
    synced: 'Enrolled as terminal {{terminalId}} of store {{storeId}}: {{pulled}} rows from HQ, {{staff}} staff can sign in.',
    failed: 'The first sync did not finish: {{message}}',
    retry: 'Sync again',
    enrolled: 'This terminal is already enrolled (store {{storeId}}, terminal {{terminalId}}, HQ {{hqUrl}}). It cannot be enrolled again.',
    demo: 'This desk runs on demo data and cannot be enrolled. A real terminal is set up in a new data folder (npm start -- --no-demo).',
  },
  printer: {
    prompt: 'Where is the receipt printer?',
    kind: { tcp: 'Network (TCP)', serial: 'Serial port', file: 'USB device file' },
    host: 'IP address',
    port: 'Port',
    serialPort: 'Serial port',
    noPorts: 'No serial port was found on this PC.',
    refreshPorts: 'Look again',
    baud: 'Baud',
    device: 'Device file',
    save: 'Save and check',
    test: 'Test print',
    printed: 'Test page sent ({{bytes}} bytes). The printer says: {{state}}',
    state: 'Printer: {{state}}',
    none: 'No printer is set: receipts wait in the queue until one is.',
  },
  scanner: {
    prompt: 'Scan anything (a member code, a product barcode): what the desk read shows here.',
    waiting: 'Waiting for a scan…',
    read: 'Read {{length}} characters from {{source}}:',
    source: { wedge: 'the keyboard scanner', serial: 'the serial scanner', camera: 'the camera' },
  },
  done: {
    prompt: 'Setup is done. Staff sign in with the PIN HQ gave them.',
    open: 'Open the desk',
  },
  // The recovery key step (issue 19): shown once, printed, kept.
  recovery: {
    step: 'Recovery key',
    prompt: 'This is the recovery key. With it, this terminal’s backups can be restored on a new PC. It is shown only this once: write it down or print it, and keep the paper away from this PC.',
    print: 'Print it',
    printed: 'Printed ({{bytes}} bytes). The printer says: {{state}}',
    kept: 'I have kept the recovery key',
    alreadyShown: 'The recovery key was already shown. If the paper is lost, a manager makes a new one under Manager → Check-up.',
    keptDone: 'The recovery key is kept and no longer shown on screen. If the paper is lost, a manager makes a new one in Manager → Check-up.',
    failed: 'The recovery key could not be fetched. Setup can go on; a manager makes one later in Manager → Check-up.',
  },
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
/** What setup-zh-CN.ts and setup-zh-TW.ts must hold: the same keys, any words. */
export type SetupMessages = Shape<typeof setupEn>;
