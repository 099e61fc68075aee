// The recovery key on screen, the one time it exists outside a person's hands (docs/backup.md):
// large, in its nine groups, with a print button and the person's "I have kept it". Used by the
// setup step and by the manager's backup panel; the caller says which contract method prints.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../src/contract/errors';
import type { Printed } from '../../src/contract/managerTypes';
import { ErrorNote, type Problem } from '../components/Notice';

function rows(key: string): string[] {
  const groups = key.split('-');
  const out: string[] = [];
  for (let i = 0; i < groups.length; i += 3) out.push(groups.slice(i, i + 3).join(' '));
  return out;
}

export function RecoveryKeyCard(props: { recoveryKey: string; prompt: string; printLabel: string; printedKey: string; print(): Promise<Result<Printed>>; kept: boolean; keptLabel: string; onKept(kept: boolean): void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  // Kept as what to say, worded when drawn: the language switch rewords it.
  const [note, setNote] = useState<{ bytes: number; state: string } | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const print = async () => {
    setBusy(true);
    setError(null);
    setNote(null);
    const r = await props.print();
    setBusy(false);
    if (r.ok) setNote({ bytes: r.value.bytes, state: r.value.printerState });
    else setError(r.error);
  };
  return (
    <div className="recovery-card" data-testid="recovery-card">
      <p className="big-text">{props.prompt}</p>
      {/* Three groups a line, as on the printed sheet, so a person copies it without losing their place. */}
      <code className="recovery-key" data-testid="recovery-key" translate="no">
        {rows(props.recoveryKey).map((row) => (
          <span key={row}>{row}</span>
        ))}
      </code>
      <div className="setup-actions">
        <button type="button" className="secondary big" disabled={busy} onClick={() => void print()} data-testid="recovery-print">
          {props.printLabel}
        </button>
        <label className="recovery-kept">
          <input type="checkbox" checked={props.kept} onChange={(e) => props.onKept(e.target.checked)} data-testid="recovery-kept" />
          {props.keptLabel}
        </label>
      </div>
      {note && (
        <p className="note ok" role="status" data-testid="recovery-printed">
          {t(props.printedKey, { bytes: note.bytes, state: t(`manager.settings.printerStateText.${note.state}`) })}
        </p>
      )}
      <ErrorNote message={error} />
    </div>
  );
}
