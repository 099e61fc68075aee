// TerminalApi over IPC: one session per window (createTerminalApi, as the web host does per client),
// calls accepted only from our own page, events pushed to every window.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Result } from '../src/contract/errors';
import { terminalApiInputs, type DeskEvent, type TerminalApi, type TerminalApiOptionsLike, type TerminalMethod } from './contractBits';
import { createTranslator, type Translator } from '../src/i18n';
import type { Lang } from '../src/loyalty/types';
import { createTerminalApi } from '../src/terminal/api';
import type { TerminalService } from '../src/terminal/service';

export const CALL_CHANNEL = 'desk:call';
export const EVENT_CHANNEL = 'desk:event';

export interface IpcWiring {
  attach(win: BrowserWindow): void;
  publish(event: DeskEvent): void;
  close(): void;
}

export function wireTerminalIpc(service: TerminalService, options: TerminalApiOptionsLike, isOurPage: (url: string) => boolean, onInternal: (err: unknown, ref?: string) => void,
  afterCall: (result: Result<unknown>) => void = () => undefined,
): IpcWiring {
  const translators = new Map<Lang, Translator>();
  const tr = (lang: Lang): Translator => {
    let t = translators.get(lang);
    if (!t) translators.set(lang, (t = createTranslator(lang, service.deps.identity.tz)));
    return t;
  };
  const sessions = new Map<number, TerminalApi>();
  const windows = new Set<WebContents>();
  const statusApi = createTerminalApi(service, tr, onInternal, options);
  let lastStatus = '';

  const pushStatus = async () => {
    const r = await statusApi['status.get']({});
    if (!r.ok) return;
    const text = JSON.stringify(r.value);
    if (text === lastStatus) return;
    lastStatus = text;
    for (const wc of windows) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, { type: 'status', status: r.value } satisfies DeskEvent);
  };
  const poller = setInterval(() => void pushStatus(), 1000);

  ipcMain.handle(CALL_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<Result<unknown>> => {
    // Only the desk page itself may call the core (not an iframe, not a page navigated elsewhere).
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isOurPage(frame.url)) {
      return { ok: false, error: { code: 'SESSION_REQUIRED', message: tr(options.lang ?? 'zh-CN').error('SESSION_REQUIRED'), params: {} } };
    }
    if (typeof method !== 'string' || !Object.hasOwn(terminalApiInputs, method)) {
      const detail = `no method ${String(method).slice(0, 64)}`;
      return { ok: false, error: { code: 'INVALID_INPUT', message: tr(options.lang ?? 'zh-CN').error('INVALID_INPUT', { detail }), params: { detail } } };
    }
    let api = sessions.get(event.sender.id);
    if (!api) {
      api = createTerminalApi(service, tr, onInternal, options);
      sessions.set(event.sender.id, api);
    }
    const result = await (api[method as TerminalMethod] as (i: unknown) => Promise<Result<unknown>>)(input);
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
