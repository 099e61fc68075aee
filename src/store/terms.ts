// The brand's privacy terms as HQ published them (the `terms` change; the demo seed writes its own).
import type { TermsData } from '../sync/protocolEntities';
import { termsDataSchema } from '../sync/protocolEntities';
import type { Db } from './open';
import { stmt } from './statements';

export function setTerms(db: Db, terms: TermsData, at: number): void {
  stmt(
    db,
    `INSERT INTO privacy_terms(version, text_json, published_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(version) DO UPDATE SET text_json = excluded.text_json, published_at = excluded.published_at, updated_at = excluded.updated_at`,
  ).run(terms.version, JSON.stringify(terms.text), terms.publishedAt, at);
}

/** The highest version this terminal holds, or null before HQ (or the demo seed) sent any. */
export function currentTerms(db: Db): TermsData | null {
  const row = stmt<[], { version: number; text_json: string; published_at: number }>(
    db,
    'SELECT version, text_json, published_at FROM privacy_terms ORDER BY version DESC LIMIT 1',
  ).get();
  if (!row) return null;
  // A row that no longer parses (edited by hand) shows no terms rather than broken ones.
  const parsed = termsDataSchema.safeParse({ version: row.version, text: JSON.parse(row.text_json) as unknown, publishedAt: row.published_at });
  return parsed.success ? parsed.data : null;
}
