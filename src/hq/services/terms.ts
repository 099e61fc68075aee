// The brand's privacy terms (issue 17): every published version is kept, since a consent names the
// version the member agreed to; terminals pull them like the rules and show the highest.
import type { HqDb } from '../db';
import { HqError } from '../errors';
import { stampChanges } from './stamp';

export async function publishTerms(db: HqDb, terms: { version: number; text: Record<string, string> }, now: number): Promise<{ version: number }> {
  return db.tx(async (q) => {
    const text = JSON.stringify(terms.text);
    const [current] = await q.query<{ v: number | null }>('SELECT max(version) AS v FROM privacy_terms');
    const [same] = await q.query<{ same: boolean }>('SELECT text = $2::jsonb AS same FROM privacy_terms WHERE version = $1', [terms.version, text]);
    if (same) {
      if (!same.same) throw new HqError('BAD_REQUEST', `privacy terms version ${terms.version} are already published with another text; publish them as a higher version`);
      return { version: terms.version };
    }
    // A consent names a version: an older number published later would make "the terms shown" ambiguous.
    if (current?.v != null && terms.version < current.v) {
      throw new HqError('BAD_REQUEST', `privacy terms version ${terms.version} is older than the published version ${current.v}; publish a higher version`);
    }
    await q.query('INSERT INTO privacy_terms(version, text, published_at) VALUES ($1, $2, $3)', [terms.version, text, now]);
    await stampChanges(q, ['privacy_terms']);
    return { version: terms.version };
  });
}
