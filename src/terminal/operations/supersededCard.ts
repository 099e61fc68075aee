// An old card number after 挂失补卡 (docs/lostcard.md): it names a member who has a newer card, so
// it is refused as an old card, not as an unknown one — the desk knows to ask for the new card.
import { DeskError } from '../../contract/errors';
import { replacedCard } from '../../store/replacedCards';
import type { ServiceDeps } from './deps';

/** Throws CARD_SUPERSEDED when `cardNo` is a replaced card; returns when it is simply unknown. */
export function refuseReplacedCard(deps: ServiceDeps, cardNo: string): void {
  const old = replacedCard(deps.db, cardNo);
  if (old) throw new DeskError('CARD_SUPERSEDED', { ref: cardNo, cs: old.cardSerial });
}
