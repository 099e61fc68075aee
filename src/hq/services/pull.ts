// Pull: one page of the change feed for one terminal, in stamp order across every entity, with
// store-scoped entities (staff, stock, the store itself, conflicts) limited to the terminal's store.
import type { PullResponse } from '../../sync/protocol';
import type { Change } from '../../sync/protocolEntities';
import type { OfflineRiskLimits } from '../../loyalty/types';
import type { HqDb, Queryable } from '../db';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import type { TerminalPrincipal } from './enroll';
import { effectiveRules, globalRules } from './rules';
import { feedHigh } from './stamp';

type Row = Record<string, unknown> & { seq: number; tombstone?: boolean };

interface Source {
  /** $1 cursor stamp, $2 snapshot height, $3 limit, $4 store. */
  sql: string;
  scoped: boolean;
  toChange: (r: Row) => Change;
}

const LIVE = '(NOT tombstone OR seq > $2)';

const SOURCES: Source[] = [
  {
    sql: `SELECT id, seq, tombstone, card_no, name, phone, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, months, lots, grants
            FROM members WHERE seq > $1 AND ${LIVE} ORDER BY seq LIMIT $3`,
    scoped: false,
    toChange: (r) =>
      r.tombstone
        ? { entity: 'member', id: String(r.id), seq: r.seq, deleted: true }
        : {
            entity: 'member',
            id: String(r.id),
            seq: r.seq,
            deleted: false,
            data: {
              cardNo: r.card_no as string,
              name: r.name as string,
              phone: r.phone as string,
              birthday: r.birthday as string | null,
              tier: r.tier as 'basic',
              tierSince: r.tier_since as number,
              cardSerial: r.card_serial as number,
              status: r.status as 'active',
              joinedAt: r.joined_at as number,
              lastPurchaseAt: r.last_purchase_at as number | null,
              months: r.months as never,
              lots: r.lots as never,
              grants: r.grants as never,
            },
          },
  },
  simple('benefit', 'SELECT id, seq, tombstone, def AS data FROM benefits'),
  simple('catalog', 'SELECT id, seq, tombstone, data FROM catalog_items'),
  simple('key', "SELECT kid AS id, seq, tombstone, jsonb_build_object('x', x, 'validFrom', valid_from, 'validTo', valid_to) AS data FROM signing_keys"),
  simple(
    'revocation',
    "SELECT member_id || ':' || card_serial AS id, seq, tombstone, jsonb_build_object('memberId', member_id, 'cardSerial', card_serial, 'revokedAt', revoked_at, 'reason', reason) AS data FROM revocations",
  ),
  simple('staff', 'SELECT id, seq, tombstone, data FROM staff', 'store_id = $4'),
  simple('stock', "SELECT sku AS id, seq, false AS tombstone, jsonb_build_object('name', name, 'qty', qty) AS data FROM stock", 'store_id = $4'),
  simple('store', "SELECT id, seq, tombstone, jsonb_build_object('name', name, 'tz', tz, 'pinSalt', pin_salt) AS data FROM stores", 'id = $4'),
  simple(
    'conflict',
    `SELECT id::text AS id, seq, false AS tombstone, jsonb_build_object('opId', op_id, 'terminalId', terminal_id, 'memberId', member_id, 'kind', kind,
       'decision', decision, 'detail', detail, 'at', at, 'decidedAt', decided_at) AS data FROM conflicts`,
    'store_id = $4',
  ),
];

function simple(entity: Change['entity'], select: string, scope?: string): Source {
  const hasTombstones = !select.includes('false AS tombstone');
  // $2 is always bound, so rows without tombstones still name it (Postgres wants every parameter typed).
  const where = `seq > $1 AND ${hasTombstones ? LIVE : '$2::bigint >= 0'}${scope ? ` AND ${scope}` : ''}`;
  return {
    sql: `${select} WHERE ${where} ORDER BY seq LIMIT $3`,
    scoped: scope !== undefined,
    toChange: (r) =>
      (r.tombstone
        ? { entity, id: String(r.id), seq: r.seq, deleted: true }
        : { entity, id: String(r.id), seq: r.seq, deleted: false, data: r.data }) as Change,
  };
}

async function rulesChange(q: Queryable, who: TerminalPrincipal, cursor: Cursor): Promise<Change | null> {
  const { rules, seq } = await globalRules(q);
  const [t] = await q.query<{ offline_limits: OfflineRiskLimits | null; seq: number | null }>('SELECT offline_limits, seq FROM terminals WHERE id = $1', [who.terminalId]);
  const at = Math.max(seq, t?.seq ?? 0);
  if (at <= cursor.s) return null;
  return { entity: 'rules', id: 'rules', seq: at, deleted: false, data: effectiveRules(rules, t?.offline_limits ?? null) };
}

export async function pullChanges(db: HqDb, who: TerminalPrincipal, cursorText: string | undefined, limit: number): Promise<PullResponse> {
  const given = cursorText === undefined ? null : decodeCursor(cursorText);
  return db.tx(async (q) => {
    const cursor: Cursor = given ?? { v: 1, s: 0, h: await feedHigh(q) };
    const pages: Change[][] = [];
    for (const src of SOURCES) {
      const params: unknown[] = [cursor.s, cursor.h, limit + 1];
      if (src.scoped) params.push(who.storeId);
      pages.push((await q.query<Row>(src.sql, params)).map(src.toChange));
    }
    const rules = await rulesChange(q, who, cursor);
    const all = pages.flat().concat(rules ? [rules] : []).sort((a, b) => a.seq - b.seq);
    const page = all.slice(0, limit);
    const more = all.length > limit;
    const last = page.at(-1)?.seq ?? cursor.s;
    await q.query('UPDATE terminals SET last_seen_at = $1 WHERE id = $2', [Date.now(), who.terminalId]);
    return { ok: true as const, changes: page, cursor: encodeCursor({ v: 1, s: last, h: cursor.h }), more, serverTime: Date.now() };
  });
}
