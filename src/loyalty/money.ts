// Integer-fen arithmetic shared by the tier discount and discount coupons, so both round alike.
import type { Fen } from './types';

/**
 * The part of `amountFen` that is paid at `permille` (900 = 9折), rounded half up to the fen.
 * Half up (rather than flooring in the customer's favour) is the usual till rounding and keeps a
 * price and its discount adding back to the original. Pure integer arithmetic: no float fen.
 * Expects a non-negative amount.
 */
export function applyPermille(amountFen: Fen, permille: number): Fen {
  return Math.floor((amountFen * permille + 500) / 1000);
}
