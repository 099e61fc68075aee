// TerminalApi over IPC: calls accepted only from our own page, one dispatcher session per window
// (as the web host keeps one per client), events pushed to every window. It moves bytes only: the
// dispatcher (src/terminal/session/dispatcher.ts) parses, checks roles and words the answer.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Result } from '../src/contract/errors';
import type { Lang } from '../src/contract/terminalApi';
import type { Dispatcher, Session } from '../src/terminal/session/dispatcher';
import type { DeskEvent } from './contractBits';

export const CALL_CHANNEL = 'desk:call';
export const EVENT_CHANNEL = 'desk:event';

export interface IpcWiring {
  attach(win: BrowserWindow): void;
  publish(event: DeskEvent): void;
  close(): void;
}

export function wireTerminalIpc(dispatcher: Dispatcher, lang: Lang, isOurPage: (url: string) => boolean, afterCall: (result: Result<unknown>) => void = () => undefined): IpcWiring {
  const sessions = new Map<number, Session>();
  const windows = new Set<WebContents>();
  let lastStatus = '';

  const pushStatus = async () => {
    const status = await dispatcher.status();
    if (!status) return;
    const text = JSON.stringify(status);
    if (text === lastStatus) return;
    lastStatus = text;
    for (const wc of windows) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, { type: 'status', status } satisfies DeskEvent);
  };
  const poller = setInterval(() => void pushStatus(), 1000);

  ipcMain.handle(CALL_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<Result<unknown>> => {
    // Only the desk page itself may call the core (not an iframe, not a page navigated elsewhere).
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isOurPage(frame.url)) return dispatcher.refuse('SESSION_REQUIRED', lang);
    let session = sessions.get(event.sender.id);
    if (!session) sessions.set(event.sender.id, (session = dispatcher.openDesk()));
    const result = await dispatcher.dispatch(session, typeof method === 'string' ? method : String(method), input);
    afterCall(result);
    void pushStatus();
    return result;
  });

  return {
    attach(win) {
      const wc = win.webContents;
      windows.add(wc);
      wc.on('did-finish-load', () => {
        lastStatus = '';
        void pushStatus();
      });
      wc.once('destroyed', () => {
        windows.delete(wc);
        const session = sessions.get(wc.id);
        if (session) dispatcher.end(session);
        sessions.delete(wc.id);
      });
    },
    publish(event) {
      for (const wc of windows) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, event);
    },
    close() {
      clearInterval(poller);
      ipcMain.removeHandler(CALL_CHANNEL);
    },
  };
}
