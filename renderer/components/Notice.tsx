// Errors and hints that say what to do next; loading and empty states with a way forward.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollPanel } from './ScrollPanel';

export function ErrorNote(props: { message: string | null; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!props.message) return null;
  return (
    <div className="note error" role="alert" data-testid="error">
      <span>{props.message}</span>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t('ui.common.retry')}
        </button>
      )}
    </div>
  );
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
 */
export function Dialog(props: { title: string; children?: ReactNode; actions?: ReactNode; testId: string; onClose?: () => void }) {
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-label={props.title} data-testid={props.testId}>
        <h2>{props.title}</h2>
        {props.children !== undefined && <ScrollPanel className="dialog-body">{props.children}</ScrollPanel>}
        {props.actions && <div className="dialog-actions">{props.actions}</div>}
      </div>
    </div>
  );
}
