// The preload: TerminalApi for the page as one object (window.loyaltyDesk), checked against the
// contract with `satisfies` — a method missing here is a compile error. The page never sees
// ipcRenderer; each method forwards its one input object over one channel, and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Result } from '../src/contract/errors';
import type { DeskBridge, DeskEvent, TerminalApi, TerminalInput, TerminalMethod, TerminalOutputs } from './contractBits';

// Literal names (a sandboxed preload bundles no zod): keep in step with the contract, which the
// `satisfies` below enforces.
const CALL_CHANNEL = 'desk:call';
const EVENT_CHANNEL = 'desk:event';

const call =
  <M extends TerminalMethod>(method: M) =>
  (input: TerminalInput<M>): Promise<Result<TerminalOutputs[M]>> =>
    ipcRenderer.invoke(CALL_CHANNEL, method, input) as Promise<Result<TerminalOutputs[M]>>;

const api = {
  'session.current': call('session.current'),
  'session.setLang': call('session.setLang'),
  'status.get': call('status.get'),
  'staff.signIn': call('staff.signIn'),
  'staff.signOut': call('staff.signOut'),
  'staff.unlock': call('staff.unlock'),
  'scan.submit': call('scan.submit'),
  'member.confirmPhone': call('member.confirmPhone'),
  'member.lookup': call('member.lookup'),
  'member.card': call('member.card'),
  'member.join': call('member.join'),
  'member.replaceCard': call('member.replaceCard'),
  'member.replaceCardPreview': call('member.replaceCardPreview'),
  'member.cardCode': call('member.cardCode'),
  'terms.current': call('terms.current'),
  'member.referralReward': call('member.referralReward'),
  'benefit.redeem': call('benefit.redeem'),
  'points.earn': call('points.earn'),
  'points.earnPreview': call('points.earnPreview'),
  'points.exchange': call('points.exchange'),
  'points.cash': call('points.cash'),
  'points.donate': call('points.donate'),
  'operation.void': call('operation.void'),
  'points.return': call('points.return'),
  'points.returnQuote': call('points.returnQuote'),
  'points.purchases': call('points.purchases'),
  'operation.recent': call('operation.recent'),
  'member.history': call('member.history'),
  'receipt.reprint': call('receipt.reprint'),
  'receipt.preview': call('receipt.preview'),
  'catalog.list': call('catalog.list'),
  'print.unprinted': call('print.unprinted'),
  'manager.approve': call('manager.approve'),
  'manager.leave': call('manager.leave'),
  'manager.dayEnd': call('manager.dayEnd'),
  'manager.dayEndProgress': call('manager.dayEndProgress'),
  'manager.zReport': call('manager.zReport'),
  'manager.closedDays': call('manager.closedDays'),
  'manager.zReportCsv': call('manager.zReportCsv'),
  'manager.printZReport': call('manager.printZReport'),
  'manager.kpis': call('manager.kpis'),
  'manager.kpiCsv': call('manager.kpiCsv'),
  'manager.conflicts': call('manager.conflicts'),
  'manager.ackConflict': call('manager.ackConflict'),
  'manager.setAside': call('manager.setAside'),
  'manager.recoveryKey': call('manager.recoveryKey'),
  'manager.staff.list': call('manager.staff.list'),
  'manager.staff.add': call('manager.staff.add'),
  'manager.staff.disable': call('manager.staff.disable'),
  'manager.staff.resetPin': call('manager.staff.resetPin'),
  'manager.settings.get': call('manager.settings.get'),
  'manager.settings.set': call('manager.settings.set'),
  'manager.settings.testPrint': call('manager.settings.testPrint'),
  'manager.settings.printerStatus': call('manager.settings.printerStatus'),
  'manager.doctor': call('manager.doctor'),
  'setup.state': call('setup.state'),
  'setup.enroll': call('setup.enroll'),
  'setup.sync': call('setup.sync'),
  'setup.serialPorts': call('setup.serialPorts'),
  'setup.printer': call('setup.printer'),
  'setup.testPrint': call('setup.testPrint'),
  'setup.finish': call('setup.finish'),
  'setup.recoveryKey': call('setup.recoveryKey'),
  'setup.printRecoveryKey': call('setup.printRecoveryKey'),
  'manager.backups': call('manager.backups'),
  'manager.backupNow': call('manager.backupNow'),
  'manager.printRecoveryKey': call('manager.printRecoveryKey'),
} satisfies TerminalApi;

const bridge = {
  api,
  onEvent(listener: (event: DeskEvent) => void) {
    const handler = (_e: IpcRendererEvent, event: DeskEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
} satisfies DeskBridge;

contextBridge.exposeInMainWorld('loyaltyDesk', bridge);
