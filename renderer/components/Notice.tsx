// Errors and hints that say what to do next; loading and empty states with a way forward.
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk, type Problem } from '../desk';
import { inertOutside } from './inertOutside';
import { ScrollPanel } from './ScrollPanel';

export type { Problem } from '../desk';

export function ErrorNote(props: { message: Problem | null; onRetry?: () => void }) {
  const { t } = useTranslation();
  const words = useProblemText();
  if (!props.message) return null;
  return (
    <div className="note error" role="alert" data-testid="error">
      <span>{words(props.message)}</span>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t('ui.common.retry')}
        </button>
      )}
    </div>
  );
}

/**
 * A problem in the UI's language now. The core words a refusal as `tr.error(code, params)` in the
 * language of the moment it answered; the same call here follows the language switch. An INTERNAL
 * error is the desk's own (a lost link) or carries a detail only its message holds: kept as it came.
 */
export function useProblemText(): (problem: Problem) => string {
  const { tr } = useDesk();
  return (problem) => {
    if (typeof problem === 'string') return problem;
    if (problem.code === 'INTERNAL') return problem.message;
    return tr.t(`error.${problem.code}`, { defaultValue: '' }) === '' ? problem.message : tr.error(problem.code, problem.params);
  };
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="note loading" role="status" data-testid="loading">
      {t('ui.common.loading')}
    </div>
  );
}

export function Empty(props: { children: ReactNode }) {
  return (
    <div className="note empty" data-testid="empty">
      {props.children}
    </div>
  );
}

/**
 * A dialog that always fits the window: the title and the actions (`actions`, a row at the bottom) stay
 * on screen, and only the body between them scrolls — with its cue — when the window is too short.
 * With `onClose`, Escape closes it (a key some pad inside took — a PIN pad clearing its digits — is
 * not). When it comes, focus moves into it (to a field or button inside that asked for it with
 * autoFocus, else to the dialog itself): left on the button behind, Enter pressed that button again
 * and Tab walked the screen under the backdrop (now inert while it is open). When it goes, focus goes back to what had it when it
 * opened (the button that opened it), or to `returnFocus` when the opener was left before the dialog
 * came (a form's submit waiting on the core).
 */
export function Dialog(props: { title: string; children?: ReactNode; actions?: ReactNode; testId: string; onClose?: () => void; returnFocus?: HTMLElement | null }) {
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  const box = useRef<HTMLDivElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  // Read while the first render runs, before an autoFocus inside has taken focus from the opener.
  const returnTo = useRef<HTMLElement | null | undefined>(undefined);
  if (returnTo.current === undefined) {
    const had = document.activeElement;
    returnTo.current = had instanceof HTMLElement && had !== document.body ? had : null;
  }
  const fallback = useRef(props.returnFocus ?? null);
  fallback.current = props.returnFocus ?? null;
  useEffect(() => {
    const node = box.current;
    if (node && !node.contains(document.activeElement)) node.focus({ preventScroll: true });
    const release = backdrop.current ? inertOutside(backdrop.current) : () => undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.key !== 'Escape' || !onClose.current) return;
      e.preventDefault();
      onClose.current();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      release();
      const back = [returnTo.current, fallback.current].find((el) => el?.isConnected);
      // After the dialog is gone from the page (a state update away), not while it still holds focus;
      // and not at all when it is still there (StrictMode runs this cleanup once on mount).
      // Nor when something else took focus meanwhile (a dialog that replaced this one in the same commit).
      if (back)
        setTimeout(() => {
          const now = document.activeElement;
          const free = now === null || now === document.body || !now.isConnected;
          if (!node?.isConnected && back.isConnected && free) back.focus();
        }, 0);
    };
  }, []);
  return (
    <div className="dialog-backdrop" ref={backdrop}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={props.title} data-testid={props.testId} ref={box} tabIndex={-1}>
        <h2>{props.title}</h2>
        {props.children !== undefined && <ScrollPanel className="dialog-body">{props.children}</ScrollPanel>}
        {props.actions && <div className="dialog-actions">{props.actions}</div>}
      </div>
    </div>
  );
}
