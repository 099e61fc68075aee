// A digit pad for PINs and phone digits: tap the keys or type digits; Backspace deletes, Enter submits,
// Escape clears (on an empty pad, Escape is the dialog's). Digits show as dots; the pad never keeps what it submitted.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  length: { min: number; max: number };
  busy: boolean;
  submitLabel: string;
  onSubmit(digits: string): void;
  /** Keyboard input goes to this pad only while it is the one on top. */
  active: boolean;
  testId: string;
  masked?: boolean;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

/** 13812345678 → 138 1234 5678; longer numbers (a country prefix) keep the last eight as 4 + 4. */
function groupDigits(d: string): string {
  if (d.length <= 3) return d;
  const head = d.slice(0, Math.max(3, d.length - 8));
  const tail = d.slice(head.length);
  return [head, tail.slice(0, 4), tail.slice(4)].filter((p) => p !== '').join(' ');
}

export function PinPad(props: Props) {
  const { t } = useTranslation();
  const [digits, setDigitsState] = useState('');
  // Keys can arrive several in one tick (a scanner detector giving typing back): the ref is the
  // truth, updated at once; the state only draws it.
  const current = useRef('');
  const propsRef = useRef(props);
  propsRef.current = props;
  const setDigits = (d: string) => {
    current.current = d;
    setDigitsState(d);
  };

  const press = (key: (typeof KEYS)[number] | 'enter') => {
    const d = current.current;
    const p = propsRef.current;
    if (p.busy) return;
    if (key === 'clear') setDigits('');
    else if (key === 'back') setDigits(d.slice(0, -1));
    else if (key === 'enter') {
      if (d.length >= p.length.min) {
        setDigits('');
        p.onSubmit(d);
      }
    } else if (d.length < p.length.max) setDigits(d + key);
  };

  useEffect(() => {
    if (!props.active) return;
    const onKey = (e: KeyboardEvent) => {
      // A key the scanner detector took (renderer/scan/wedgeDetector.ts) is not typing.
      if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey) return;
      if (/^\d$/.test(e.key)) press(e.key as (typeof KEYS)[number]);
      else if (e.key === 'Backspace') press('back');
      // Escape clears typed digits; on an empty pad it is left to what holds the pad (a dialog closes).
      else if (e.key === 'Escape' && current.current !== '') press('clear');
      else if (e.key === 'Enter') {
        e.preventDefault();
        press('enter');
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.active]);

  const masked = props.masked ?? true;
  return (
    <div className="pinpad" data-testid={props.testId}>
      <div className="pin-display" aria-live="polite" aria-label={t('ui.signIn.digits', { n: digits.length })} data-testid={`${props.testId}-display`}>
        {masked ? (
          Array.from({ length: Math.max(props.length.min, digits.length) }, (_, i) => (
            <span key={i} className={i < digits.length ? 'pin-dot filled' : 'pin-dot'}>
              {i < digits.length ? '●' : '○'}
            </span>
          ))
        ) : (
          // A number read back to the person saying it: grouped as it is spoken (138 1234 5678), one line.
          <span className="pin-text">{digits === '' ? '—' : groupDigits(digits)}</span>
        )}
      </div>
      <div className="pin-keys">
        {KEYS.map((k) => (
          <button
            key={k}
            type="button"
            className={k === 'clear' || k === 'back' ? 'key key-aux' : 'key'}
            onClick={() => press(k)}
            disabled={props.busy}
            aria-label={k === 'clear' ? t('ui.common.clear') : k === 'back' ? t('ui.common.delete') : k}
          >
            {k === 'clear' ? 'C' : k === 'back' ? '⌫' : k}
          </button>
        ))}
      </div>
      <button type="button" className="primary big" onClick={() => press('enter')} disabled={props.busy || digits.length < props.length.min} data-testid={`${props.testId}-submit`}>
        {props.busy ? t('ui.common.working') : props.submitLabel}
      </button>
    </div>
  );
}
