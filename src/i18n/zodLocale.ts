// A settings file that does not parse, told to whoever edits it: the field's path and zod's sentence.
// (Inputs from people are told in words instead: src/i18n/inputIssues.ts.)
import type { ZodError } from 'zod';

/** The first few issues of a refused file as one line: the field path, then zod's sentence. */
export function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
