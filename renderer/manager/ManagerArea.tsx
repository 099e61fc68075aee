// The manager area (店长): day-end, Z-report, KPIs, conflicts, staff, devices, the check-up. A manager signed in
// opens it; for a clerk the manager approves with their PIN on the pad here. The clerk stays signed
// in (issue 18): what is done here is recorded as the clerk's with the manager's approval, and the
// approval ends when the area is left. The core refuses anyone without an approval regardless.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignedInStaff } from '../../src/contract/terminalApi';
import { LockedPad, useLockedUntil } from '../components/LockedPad';
import { ErrorNote, type Problem } from '../components/Notice';
import { PinPad } from '../components/PinPad';
import { useDesk } from '../desk';
import { ConflictsTab } from './Conflicts';
import { DayEndTab } from './DayEnd';
import { DoctorTab } from './Doctor';
import { KpisTab } from './Kpis';
import { SettingsTab } from './Settings';
import { StaffTab } from './Staff';
import { ZReportTab } from './ZReport';
import { SetupTab } from '../setup/SetupTab';
import './manager.css';

const TABS = ['dayEnd', 'zReport', 'kpis', 'conflicts', 'staff', 'settings', 'doctor', 'setup'] as const;
type Tab = (typeof TABS)[number];

export function ManagerArea(props: { onBack(): void }) {
  const { t } = useTranslation();
  const { staff, call } = useDesk();
  const [tab, setTab] = useState<Tab>('dayEnd');
  const [busy, setBusy] = useState(false);
  // Kept as the core's code and parameters: worded when drawn, so a language switch rewords it.
  const [error, setError] = useState<Problem | null>(null);
  const [approver, setApprover] = useState<SignedInStaff | null>(null);
  const lockedUntil = useLockedUntil();
  // However the area is left (its own Back, the top bar, sign-out), the approval ends with it.
  const approved = useRef(false);
  approved.current = approver !== null;
  useEffect(
    () => () => {
      if (approved.current) void call('manager.leave', {});
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const back = () => props.onBack();

  if (staff?.role !== 'manager' && approver === null) {
    const approve = async (pin: string) => {
      setBusy(true);
      setError(null);
      const r = await call('manager.approve', { pin });
      setBusy(false);
      if (!r.ok) return setError(r.error.code === 'LOCKED_OUT' ? null : r.error);
      setApprover(r.value.manager);
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
        {lockedUntil !== null ? (
          <LockedPad until={lockedUntil} onLifted={() => setError(null)} />
        ) : (
          <>
            <p className="hint">{t('manager.managerOnly', { name: staff?.name ?? '' })}</p>
            <ErrorNote message={error} />
            <PinPad length={{ min: 4, max: 8 }} busy={busy} submitLabel={t('manager.approve')} onSubmit={(pin) => void approve(pin)} active testId="manager-pin" />
          </>
        )}
      </main>
    );
  }

  return (
    <main className="screen manager" data-screen="manager">
      <nav className="manager-tabs">
        {/* The tab list holds only its tabs (ARIA); the approval note and the way back sit beside it. */}
        <div className="manager-tablist" role="tablist">
          {TABS.map((name) => (
            <button key={name} type="button" role="tab" aria-selected={tab === name} className={tab === name ? 'tab active' : 'tab'} onClick={() => setTab(name)} data-testid={`tab-${name}`}>
              {name === 'setup' ? t('setup.tab') : t(`manager.tabs.${name}`)}
            </button>
          ))}
        </div>
        <span className="spacer" />
        {approver && staff && (
          <span className="approved-by" data-testid="approved-by" title={t('manager.approvedBy', { manager: approver.name, clerk: staff.name })}>
            <ApprovalNote text={t('manager.approvedBy', { manager: approver.name, clerk: staff.name })} />
          </span>
        )}
        <button type="button" onClick={back} data-testid="manager-back">
          {t('manager.back')}
        </button>
      </nav>
      {tab === 'dayEnd' && <DayEndTab onSetup={() => setTab('setup')} />}
      {tab === 'zReport' && <ZReportTab />}
      {tab === 'kpis' && <KpisTab />}
      {tab === 'conflicts' && <ConflictsTab />}
      {tab === 'staff' && <StaffTab />}
      {tab === 'settings' && <SettingsTab />}
      {tab === 'doctor' && <DoctorTab />}
      {tab === 'setup' && <SetupTab onDone={() => setTab('dayEnd')} />}
    </main>
  );
}

/**
 * The approval sentence with its bracketed part (（操作记在 王芳 名下）, "(recorded under 王芳)") as one
 * unit: when the note must wrap, the bracket goes to the next line whole rather than breaking 名/下.
 * The sentence itself is the catalog's, unchanged; only where it may break is set here.
 */
function ApprovalNote(props: { text: string }) {
  const at = props.text.search(/[（(]/);
  if (at <= 0) return <>{props.text}</>;
  return (
    <>
      {props.text.slice(0, at)}
      <span className="approved-unit">{props.text.slice(at)}</span>
    </>
  );
}
