// The manager's handlers of TerminalApi, joined into the desk session's handler map (deskSession.ts). Every one
// asks the core whether the signed-in person is an active manager now (a clerk gets NOT_MANAGER,
// whatever the UI shows), and writes pass the manager's id down to functions that check again.
import { dirname } from 'node:path';
import { DeskError } from '../../contract/errors';
import { KPI_CHART_NAMES, type KpiChartName, type KpiTable, type managerApiInputs } from '../../contract/managerContract';
import type { ParsedInput, TerminalOutputs } from '../../contract/terminalApi';
import type { Translator } from '../../i18n';
import { businessDate } from '../../loyalty/time';
import type { Lang } from '../../loyalty/types';
import { printerAllowance, readConfig } from '../operations/config';
import { acknowledgeConflict, conflictViews, setAsideViews } from '../manager/conflicts';
import { closedDays, dayEndProgress, runDayEnd, type SyncPort } from '../manager/dayEnd';
import { computeKpis } from '../manager/kpis';
import { requireManager } from '../operations/lookups';
import { printerLiveState, printTestPage, printZReport } from '../manager/printing';
import { printRecoverySheet, showRecoveryKey } from '../manager/recovery';
import { backUpNow, backupStatus } from '../manager/backups';
import { readSettings, updateSettings } from '../manager/settings';
import { addClerk, listStaff, resetStaffPin, setStaffActive } from '../manager/staff';
import { kpiCsv, kpiTable, zReportCsv } from '../manager/reportCsv';
import type { TerminalService } from '../operations/service';
import { checkBusinessDate, dayReport } from '../manager/zReport';
import type { SignedInStaff } from '../../contract/deskTypes';
import { doctorReport, type DeviceFacts } from '../manager/doctor';

/** What the host gives the manager's handlers: HQ sync and the printer in use. */
export interface ManagerPorts {
  /** Sync with HQ now (the host's sync loop); null when the terminal is not enrolled. */
  sync?: SyncPort | null;
  /** The printer the desk prints on (config.json "printer", or the host's override). */
  printerUri?: () => string | null;
  /** The language the printer prints in, when not the session's (the CLI: the printer URI's ?lang=, config.json lang). */
  printLang?: () => Lang | null;
  /** Runs a printer task in the print queue's turn (a TCP or serial printer takes one connection at a time). */
  withPrinter?: <T>(task: () => Promise<T>) => Promise<T>;
}

type ManagerMethod = keyof typeof managerApiInputs;
/** The approval's own two methods live in the desk session (they change its state). */
type Handlers = { [M in Exclude<ManagerMethod, 'manager.approve' | 'manager.leave'>]: (input: ParsedInput<M>) => TerminalOutputs[M] | Promise<TerminalOutputs[M]> };

export function managerHandlers(
  service: TerminalService,
  ctx: { managerAct: () => { actor: SignedInStaff; manager: SignedInStaff }; lang: () => Lang; tr: () => Translator; ports: ManagerPorts; devices: () => DeviceFacts },
): Handlers {
  const { deps } = service;
  /** Who acts and which manager approves; writes record the actor with the manager's approval. */
  const act = (): { managerId: string; actorId: string } => {
    const { actor, manager } = ctx.managerAct();
    if (manager.role !== 'manager') throw new DeskError('NOT_MANAGER', { ref: actor.id });
    // Checked against the database too: a manager disabled since approving is refused.
    requireManager(deps, manager.id);
    return { managerId: manager.id, actorId: actor.id };
  };
  const manager = (): void => void act();
  const day = (date: string | undefined): string => {
    const now = deps.clock();
    return date === undefined ? businessDate(now, deps.identity.tz) : checkBusinessDate(date, now, deps.identity.tz);
  };
  const onPrinter = <T>(task: () => Promise<T>): Promise<T> => (ctx.ports.withPrinter ? ctx.ports.withPrinter(task) : task());
  const printerUri = (override?: string): string | null =>
    override ?? ctx.ports.printerUri?.() ?? readConfig(dirname(deps.db.name))?.printer ?? null;
  // What IT listed in config.json beside the standard printer ports and serial ports; an address
  // given to the test print is held to the same rule as a saved one, before anything connects.
  const allow = () => printerAllowance(readConfig(dirname(deps.db.name)));
  const tables = (k: ReturnType<typeof computeKpis>): Record<KpiChartName, KpiTable> =>
    Object.fromEntries(KPI_CHART_NAMES.map((c) => [c, kpiTable(k, c, ctx.tr())])) as Record<KpiChartName, KpiTable>;

  return {
    'manager.dayEnd': ({ date }) => {
      const a = act();
      return runDayEnd(deps, { staffId: a.managerId, actorId: a.actorId, sync: ctx.ports.sync ?? null, ...(date === undefined ? {} : { date: day(date) }) });
    },
    'manager.dayEndProgress': () => (manager(), dayEndProgress(deps)),
    'manager.zReport': ({ date }) => (manager(), dayReport(deps, day(date))),
    'manager.closedDays': ({ limit }) => (manager(), closedDays(deps, limit)),
    'manager.zReportCsv': ({ date }) => {
      manager();
      const r = dayReport(deps, day(date));
      return { filename: `z-report-${deps.identity.terminalId}-${r.date}.csv`, csv: zReportCsv(r, ctx.tr()) };
    },
    'manager.printZReport': async ({ date }) => {
      const a = act();
      const report = dayReport(deps, day(date));
      return onPrinter(() => printZReport(deps, { uri: printerUri(), allow: allow(), report, lang: ctx.ports.printLang?.() ?? ctx.lang(), actor: a.actorId, approvedBy: a.managerId }));
    },
    'manager.kpis': ({ date }) => {
      manager();
      const kpis = computeKpis(deps, day(date));
      return { kpis, tables: tables(kpis) };
    },
    'manager.kpiCsv': ({ chart, date }) => {
      manager();
      const kpis = computeKpis(deps, day(date));
      return { filename: `kpi-${chart}-${kpis.from}-${kpis.to}.csv`, csv: kpiCsv(kpis, chart, ctx.tr()) };
    },
    'manager.conflicts': ({ onlyOpen }) => (manager(), conflictViews(deps, onlyOpen)),
    'manager.ackConflict': ({ id, note }) => acknowledgeConflict(deps, { ...act(), conflictId: id, note }),
    'manager.setAside': () => (manager(), setAsideViews(deps)),
    'manager.staff.list': () => (manager(), listStaff(deps.db, deps.identity.storeId)),
    'manager.staff.add': ({ name, pin }) => addClerk(deps, { ...act(), name, pin }),
    'manager.staff.disable': ({ staffId }) => setStaffActive(deps, { ...act(), staffId, active: false }),
    'manager.staff.resetPin': ({ staffId, pin }) => resetStaffPin(deps, { ...act(), staffId, pin }),
    'manager.settings.get': () => (manager(), readSettings(deps)),
    'manager.settings.set': (patch) => updateSettings(deps, act(), patch),
    'manager.settings.testPrint': async ({ printer }) => {
      manager();
      return onPrinter(() => printTestPage({ uri: printerUri(printer), allow: allow(), lang: ctx.ports.printLang?.() ?? ctx.lang(), tz: deps.identity.tz, now: deps.clock() }));
    },
    'manager.settings.printerStatus': async ({ printer }) => (manager(), onPrinter(() => printerLiveState(printerUri(printer), allow()))),
    'manager.doctor': () => {
      manager();
      // quick_check here (the desk waits for it); the command line's doctor reads every page
      const { facts: _facts, ...report } = doctorReport(deps.db, { tr: ctx.tr(), now: deps.clock(), full: false, devices: ctx.devices() });
      return report;
    },
    'manager.recoveryKey': ({ renew }) => showRecoveryKey(deps, act(), renew),
    'manager.backups': () => (manager(), backupStatus(deps.db, ctx.tr())),
    'manager.backupNow': async () => (manager(), backUpNow(deps.db, deps.clock())),
    'manager.printRecoveryKey': async ({ recoveryKey }) => {
      const a = act();
      return onPrinter(() => printRecoverySheet(deps.db, { uri: printerUri(), allow: allow(), lang: ctx.ports.printLang?.() ?? ctx.lang(), now: deps.clock(), recoveryKey, actor: a.actorId }));
    },
  };
}
