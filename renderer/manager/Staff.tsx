// Staff at this store: add a clerk, disable one, reset a PIN (each audited by the core). Staff that
// HQ manages are listed read-only.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote, Loading, type Problem } from '../components/Notice';
import { useDesk, useLoad } from '../desk';

export function StaffTab() {
  const { t } = useTranslation();
  const { call } = useDesk();
  const list = useLoad(() => call('manager.staff.list', {}), []);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [resetFor, setResetFor] = useState<string | null>(null);
  const [newPin, setNewPin] = useState('');
  // What happened, as a sentence's key or the core's refusal: worded when drawn (a language switch rewords it).
  const [note, setNote] = useState<{ ok: true; key: string; params?: Record<string, string> } | { ok: false; problem: Problem } | null>(null);

  const done = (r: { ok: true } | { ok: false; error: Problem }, key: string, params?: Record<string, string>) => {
    setNote(r.ok ? { ok: true, key, ...(params ? { params } : {}) } : { ok: false, problem: r.error });
    list.reload();
  };
  const add = async () => {
    const r = await call('manager.staff.add', { name, pin });
    if (r.ok) (setName(''), setPin(''));
    done(r, 'manager.staff.added', { name });
  };
  const reset = async (staffId: string) => {
    const r = await call('manager.staff.resetPin', { staffId, pin: newPin });
    if (r.ok) (setResetFor(null), setNewPin(''));
    done(r, 'manager.staff.pinReset');
  };

  if (!list.value) return list.error ? <ErrorNote message={list.error} onRetry={list.reload} /> : <Loading />;
  return (
    <section className="manager-panel" data-testid="staff">
      {note && (note.ok ? <div className="note ok">{t(note.key, note.params)}</div> : <ErrorNote message={note.problem} />)}
      <table className="staff-table">
        <thead>
          <tr>
            <th>{t('manager.staff.name')}</th>
            <th>{t('manager.staff.role')}</th>
            <th>{t('manager.staff.status')}</th>
            <th>{t('manager.staff.origin')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.value.map((s) => (
            <tr key={s.id} data-testid={`staff-${s.id}`}>
              <td>{s.name}</td>
              <td>{t(`ui.top.role.${s.role}`)}</td>
              <td>{s.active ? t('manager.staff.active') : t('manager.staff.disabled')}</td>
              <td>{s.origin === 'hq' ? t('manager.staff.hq') : t('manager.staff.local')}</td>
              <td>
                {s.origin === 'local' && s.active && (
                  <>
                    <button type="button" onClick={() => void call('manager.staff.disable', { staffId: s.id }).then((r) => done(r, t('manager.staff.disabled')))}>
                      {t('manager.staff.disable')}
                    </button>
                    {resetFor === s.id ? (
                      <>
                        <input type="password" inputMode="numeric" aria-label={t('manager.staff.newPin')} value={newPin} onChange={(e) => setNewPin(e.target.value)} />
                        <button type="button" onClick={() => void reset(s.id)}>
                          {t('ui.common.confirm')}
                        </button>
                      </>
                    ) : (
                      <button type="button" onClick={() => setResetFor(s.id)}>
                        {t('manager.staff.resetPin')}
                      </button>
                    )}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="staff-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <h2>{t('manager.staff.addTitle')}</h2>
        <div className="field-grid">
          <label className="field">
            <span className="field-label">{t('manager.staff.name')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} data-testid="staff-name" />
          </label>
          <label className="field">
            <span className="field-label">{t('manager.staff.pin')}</span>
            <input type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} data-testid="staff-pin" />
          </label>
        </div>
        <button type="submit" className="primary" data-testid="staff-add">
          {t('manager.staff.add')}
        </button>
      </form>
    </section>
  );
}
