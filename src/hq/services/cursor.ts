// The pull cursor: opaque to terminals. s = last stamp delivered; h = the feed's height when the
// snapshot began (rows stamped at or below h are sent without their tombstones: a new terminal
// never held them; anything deleted later is stamped above h and arrives as a tombstone).
import { z } from 'zod';
import { HqError } from '../errors';

const cursorBody = z.object({ v: z.literal(1), s: z.int().nonnegative(), h: z.int().nonnegative() });
export type Cursor = z.infer<typeof cursorBody>;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    return cursorBody.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new HqError('CURSOR_INVALID', 'this cursor was not made by this HQ; start again without one');
  }
}
