// The manager area (店长): day-end, Z-report, KPIs, conflicts, staff, devices. Opens only for a
// manager: a clerk sees the manager's PIN pad instead, and the core refuses clerks regardless.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../components/Notice';
import { PinPad } from '../components/PinPad';
import { useDesk } from '../desk';
import { ConflictsTab } from './Conflicts';
import { DayEndTab } from './DayEnd';
import { KpisTab } from './Kpis';
import { SettingsTab } from './Settings';
import { StaffTab } from './Staff';
import { ZReportTab } from './ZReport';
import './manager.css';

const TABS = ['dayEnd', 'zReport', 'kpis', 'conflicts', 'staff', 'settings'] as const;
type Tab = (typeof TABS)[number];

export function ManagerArea(props: { onBack(): void }) {
  const { t } = useTranslation();
  const { staff, setStaff, call } = useDesk();
  const [tab, setTab] = useState<Tab>('dayEnd');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (staff?.role !== 'manager') {
    const signIn = async (pin: string) => {
      setBusy(true);
      const r = await call('staff.signIn', { pin });
      setBusy(false);
      if (!r.ok) return setError(r.error.message);
      setStaff(r.value);
      setError(r.value.role === 'manager' ? null : t('manager.managerOnly'));
    };
    return (
      <main className="screen signin manager-gate" data-screen="manager-gate">
        {/* The way back sits beside the title: under the pad it would fall below a 768-pixel window. */}
        <div className="screen-head">
          <h1>{t('manager.title')}</h1>
          <button type="button" onClick={props.onBack} data-testid="manager-back">
            {t('manager.back')}
          </button>
        </div>
        <p className="hint">{t('manager.managerOnly')}</p>
        <ErrorNote message={error} />
        <PinPad length={{ min: 4, max: 8 }} busy={busy} submitLabel={t('ui.signIn.submit')} onSubmit={(pin) => void signIn(pin)} active testId="manager-pin" />
      </main>
    );
  }

  return (
    <main className="screen manager" data-screen="manager">
      <nav className="manager-tabs" role="tablist">
        {TABS.map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} className={tab === name ? 'tab active' : 'tab'} onClick={() => setTab(name)} data-testid={`tab-${name}`}>
            {t(`manager.tabs.${name}`)}
          </button>
        ))}
        <span className="spacer" />
        <button type="button" onClick={props.onBack} data-testid="manager-back">
          {t('manager.back')}
        </button>
      </nav>
      {tab === 'dayEnd' && <DayEndTab />}
      {tab === 'zReport' && <ZReportTab />}
      {tab === 'kpis' && <KpisTab />}
      {tab === 'conflicts' && <ConflictsTab />}
      {tab === 'staff' && <StaffTab />}
      {tab === 'settings' && <SettingsTab />}
    </main>
  );
}
