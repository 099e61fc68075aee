import { DeskError } from '../../src/contract/errors';

/** The DeskError code fn throws, 'no error' when it returns; any other exception fails the test. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DeskError) return err.code;
    throw err;
  }
  return 'no error';
}
