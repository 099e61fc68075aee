// The new card's member code after 挂失补卡 (docs/lostcard.md): the code HQ signed for the member's
// current card, drawn large for the member to photograph or save, with the card number. The core
// hands it only to a member verified at the desk (it is as good as the card); nothing is printed.
import { useTranslation } from 'react-i18next';
import { Dialog, ErrorNote, Loading } from '../components/Notice';
import { useDesk, useLoad } from '../desk';

export function CardCodeDialog(props: { memberId: string; onClose(): void }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const code = useLoad(() => call('member.cardCode', { memberId: props.memberId }), [props.memberId]);
  const v = code.value;
  return (
    <Dialog
      title={t('ui.cardCode.title')}
      testId="card-code"
      onClose={props.onClose}
      actions={
        <button type="button" className="primary big" onClick={props.onClose} data-testid="card-code-close">
          {t('ui.common.close')}
        </button>
      }
    >
      {code.loading && !v && <Loading />}
      <ErrorNote message={code.error} onRetry={code.reload} />
      {v && !v.code && <p data-testid="card-code-not-yet">{t('ui.cardCode.notYet')}</p>}
      {v?.code && (
        <div className="card-code">
          <QrSvg size={v.code.size} modules={v.code.modules} label={t('ui.cardCode.title')} />
          <div className="summary-row">
            <span>{t('ui.cardCode.cardNo')}</span> <strong data-testid="card-code-card-no">{v.cardNo}</strong>
          </div>
          <p className="sub">{t('ui.cardCode.help')}</p>
        </div>
      )}
    </Dialog>
  );
}

/** The QR as the core made it (rows of '1' dark, '0' light), with the 4-module quiet zone, crisp at any size. */
function QrSvg(props: { size: number; modules: string; label: string }) {
  const { size, modules } = props;
  let path = '';
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (modules[y * size + x] === '1') path += `M${x + 4} ${y + 4}h1v1h-1z`;
  const box = size + 8;
  return (
    <svg viewBox={`0 0 ${box} ${box}`} width={box * 5} height={box * 5} shapeRendering="crispEdges" role="img" aria-label={props.label} data-testid="card-code-qr">
      <rect width="100%" height="100%" fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
