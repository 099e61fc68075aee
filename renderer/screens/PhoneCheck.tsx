// A typed card number proves nothing: the member says their whole phone number, and the core checks
// it against the keyed hash it holds (member.confirmPhone) before anything can be redeemed against the
// card. The screen shows only the last four digits, so the clerk cannot read the answer off it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanOutcome } from '../../src/contract/terminalApi';
import { Dialog, ErrorNote, type Problem } from '../components/Notice';
import { PinPad } from '../components/PinPad';
import { useDesk } from '../desk';

export function PhoneCheck(props: { scan: ScanOutcome; onConfirmed(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const { member } = props.scan;

  const submit = async (phone: string) => {
    setBusy(true);
    setError(null);
    const r = await call('member.confirmPhone', { memberId: member.id, phone });
    setBusy(false);
    if (r.ok) props.onConfirmed();
    else setError(r.error);
  };

  return (
    <Dialog
      title={t('ui.phone.title')}
      testId="phone-check"
      actions={
        <button type="button" className="secondary" onClick={props.onCancel} data-testid="phone-cancel">
          {t('ui.phone.useCode')}
        </button>
      }
    >
      {/* The question beside the pad, so the whole check fits a 1024×768 window. */}
      <div className="dialog-split">
        <div className="dialog-text">
          <p>{t('ui.phone.prompt')}</p>
          <p className="member-line">{t('ui.phone.member', { cardNo: member.cardNo, name: member.maskedName })}</p>
          <ErrorNote message={error} />
        </div>
        <div className="dialog-pad">
          <PinPad length={{ min: 11, max: 14 }} busy={busy} submitLabel={t('ui.phone.confirm')} onSubmit={(d) => void submit(d)} active masked={false} testId="phone" />
        </div>
      </div>
    </Dialog>
  );
}
