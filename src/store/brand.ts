// The brand's privacy settings as this terminal last heard them from HQ (the `brand` change): the
// key a spoken phone number is hashed with, and how member names are shown (docs/privacy.md).
import type { BrandData } from '../sync/protocolEntities';
import type { Db } from './open';
import { stmt } from './statements';

export function setBrand(db: Db, brand: BrandData, at: number): void {
  stmt(
    db,
    `INSERT INTO brand(id, phone_key, name_display, updated_at) VALUES ('brand', ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET phone_key = excluded.phone_key, name_display = excluded.name_display, updated_at = excluded.updated_at`,
  ).run(brand.phoneKey, brand.nameDisplay, at);
}

/** The phone key, or null before HQ (or the demo seed) has sent one: no member can be found by phone yet. */
export function brandPhoneKey(db: Db): string | null {
  return stmt<[], { phone_key: string }>(db, "SELECT phone_key FROM brand WHERE id = 'brand'").get()?.phone_key ?? null;
}

/** How this terminal keeps member names: the brand's setting (full when HQ has said nothing). */
export function brandNameDisplay(db: Db): 'full' | 'masked' {
  return stmt<[], { name_display: 'full' | 'masked' }>(db, "SELECT name_display FROM brand WHERE id = 'brand'").get()?.name_display ?? 'full';
}
