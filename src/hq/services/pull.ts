// Pull: one page of the change feed for one terminal, in stamp order across every entity, with
// store-scoped entities (staff, stock, the store itself, conflicts) limited to the terminal's store.
// Each change record is serialized to JSON by PostgreSQL (json_build_object): HQ never turns a
// snapshot's million members into JS objects only to stringify them again. The page goes out as
// that text (JsonText), in the shape of pullResponseSchema.
import type { PullResponse } from '../../sync/protocol';
import { CONFLICT_DECISIONS_V1, CONFLICT_KINDS_V1, type Change } from '../../sync/protocolEntities';
import type { OfflineRiskLimits } from '../../loyalty/types';
import type { HqDb, Queryable } from '../db';
import { JsonText } from '../jsonText';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import type { TerminalPrincipal } from './enroll';
import { effectiveRules, globalRules } from './rules';
import { topUpCardBlocks } from './cardBlocks';
import { feedHigh, stampChanges } from './stamp';
import { memberAfterJson, memberRecordColumns, notAmongWrites } from './memberWrite';

/** One change record: its stamp (to merge the sources in order) and its JSON text. */
interface Row {
  seq: number;
  j: string;
}

interface Source {
  /** $1 cursor stamp, $2 snapshot height, $3 limit, $4 store or terminal (scoped); yields seq and j (the change record as JSON text). */
  sql: string;
  scoped: 'store' | 'terminal' | null;
}

const LIVE = '(NOT tombstone OR seq > $2)';

/** The change record for rows that have id, seq, tombstone and `dataExpr`. */
function record(entity: Change['entity'], dataExpr: string): string {
  const head = `'entity', '${entity}', 'id', id::text, 'seq', seq`;
  return `CASE WHEN tombstone THEN json_build_object(${head}, 'deleted', true) ELSE json_build_object(${head}, 'deleted', false, 'data', ${dataExpr}) END::text AS j`;
}

// Never the phone number (docs/privacy.md): its keyed hash and last four digits; the name as the
// brand's name_display says (the uncorrelated subquery runs once per statement).
const MEMBER_NAME = `CASE WHEN (SELECT name_display FROM brand WHERE id = 'brand') = 'masked' THEN left(name, 1) || repeat('*', greatest(1, char_length(name) - 1)) ELSE name END`;
const MEMBER_TAIL = `'birthday', birthday, 'tier', tier, 'tierSince', tier_since, 'cardSerial', card_serial, 'status', status, 'joinedAt', joined_at,
  'lastPurchaseAt', last_purchase_at, 'months', months, 'lots', lots, 'grants', grants`;
/** A member row's change data as terminals pull it (v2), a SQL expression over members. */
export const MEMBER_DATA = `json_build_object('cardNo', card_no, 'name', ${MEMBER_NAME}, 'phoneHash', phone_hash, 'phoneLast4', right(phone, 4), ${MEMBER_TAIL}, 'usage', usage, 'owed', points_owed)`;
/** Protocol v1 has a `phone`: it gets the number masked to its last four digits, which is all its phone check reads. */
const MEMBER_DATA_V1 = `json_build_object('cardNo', card_no, 'name', ${MEMBER_NAME}, 'phone', repeat('*', greatest(0, char_length(phone) - 4)) || right(phone, 4), ${MEMBER_TAIL})`;

/** id, seq, tombstone and a member's change data, from `source` (members, or a view of members to be). */
function memberSelect(source: string): string {
  return `SELECT id, seq, tombstone, ${MEMBER_DATA} AS data FROM ${source}`;
}

const CONFLICTS = `SELECT id::text AS id, seq, false AS tombstone, jsonb_build_object('opId', op_id, 'terminalId', terminal_id, 'memberId', member_id, 'kind', kind,
       'decision', decision, 'detail', detail, 'at', at, 'decidedAt', decided_at) AS data FROM conflicts`;
const inList = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');

/** Each pulled table: its entity and a SELECT of id, seq, tombstone and data (the change's data). */
const FEED: Record<string, { entity: Change['entity']; select: string; scope?: string; scopeBy?: 'terminal' }> = {
  members: { entity: 'member', select: memberSelect('members') },
  benefits: { entity: 'benefit', select: 'SELECT id, seq, tombstone, def AS data FROM benefits' },
  catalog_items: { entity: 'catalog', select: 'SELECT id, seq, tombstone, data FROM catalog_items' },
  signing_keys: { entity: 'key', select: "SELECT kid AS id, seq, tombstone, jsonb_build_object('x', x, 'validFrom', valid_from, 'validTo', valid_to) AS data FROM signing_keys" },
  revocations: {
    entity: 'revocation',
    select: "SELECT member_id || ':' || card_serial AS id, seq, tombstone, jsonb_build_object('memberId', member_id, 'cardSerial', card_serial, 'revokedAt', revoked_at, 'reason', reason) AS data FROM revocations",
  },
  staff: { entity: 'staff', select: 'SELECT id, seq, tombstone, data FROM staff', scope: 'store_id = $4' },
  stock: { entity: 'stock', select: "SELECT sku AS id, seq, false AS tombstone, jsonb_build_object('name', name, 'qty', qty) AS data FROM stock", scope: 'store_id = $4' },
  stores: { entity: 'store', select: "SELECT id, seq, tombstone, jsonb_build_object('name', name, 'tz', tz, 'pinSalt', pin_salt) AS data FROM stores", scope: 'id = $4' },
  conflicts: { entity: 'conflict', select: CONFLICTS, scope: 'store_id = $4' },
  brand: {
    entity: 'brand',
    select: "SELECT id, seq, false AS tombstone, jsonb_build_object('phoneKey', translate(encode(phone_key, 'base64'), '+/=', '-_'), 'nameDisplay', name_display) AS data FROM brand",
  },
  // Sign-up (docs/join.md): the privacy terms, this terminal's card blocks, merged member ids.
  privacy_terms: {
    entity: 'terms',
    select: "SELECT version::text AS id, seq, false AS tombstone, jsonb_build_object('version', version, 'text', text, 'publishedAt', published_at) AS data FROM privacy_terms",
  },
  card_blocks: {
    entity: 'cardBlock',
    select: "SELECT start::text AS id, seq, false AS tombstone, jsonb_build_object('terminalId', terminal_id, 'start', start, 'size', size) AS data FROM card_blocks",
    scope: 'terminal_id = $4',
    scopeBy: 'terminal',
  },
  member_aliases: {
    entity: 'alias',
    select: "SELECT alias_id AS id, seq, tombstone, jsonb_build_object('memberId', member_id, 'cardNo', card_no) AS data FROM member_aliases",
  },
  // 挂失补卡 (docs/lostcard.md): every terminal refuses a replaced card's number.
  card_replacements: {
    entity: 'cardReplaced',
    select: "SELECT old_card_no AS id, seq, tombstone, jsonb_build_object('memberId', member_id, 'cardSerial', old_serial, 'replacedBy', new_card_no, 'at', at, 'code', card_code) AS data FROM card_replacements",
  },
};

/** Entities protocol v1 never had: a v1 terminal would only set them aside. */
const V2_ONLY = new Set(['brand', 'privacy_terms', 'card_blocks', 'member_aliases', 'card_replacements']);

/**
 * The change records a writing transaction is about to publish (its rows still unstamped), as
 * JSON text, for the publish check (publishCheck.ts); null for a table terminals do not pull.
 */
export function unstampedChangesSql(table: string, except: string | null = null): string | null {
  const f = FEED[table];
  // `except`: a jsonb parameter of MemberWrite rows, checked instead as they will be (memberChangesAfterSql).
  const others = except === null ? '' : ` AND ${notAmongWrites(except)}`;
  return f ? `SELECT ${record(f.entity, 'data')} FROM (${f.select} WHERE seq IS NULL${others}) AS s` : null;
}

/**
 * The change records of members as they will be once `rows` (a jsonb parameter of MemberWrite rows,
 * memberWrite.ts) are written over them: each stored row with the written columns put in by the
 * stamp's own SET expressions (memberAfterJson). For the publish check.
 */
export function memberChangesAfterSql(rows: string): string {
  // The record is made in FROM: `(jsonb_populate_record(…)).*` in the select list would make it once per column.
  const after = `SELECT r.* FROM jsonb_to_recordset(${rows}::jsonb) AS d(${memberRecordColumns()}) JOIN members m ON m.id = d.id
                   CROSS JOIN LATERAL jsonb_populate_record(m, ${memberAfterJson('d')}) AS r`;
  return `SELECT ${record('member', 'data')} FROM (${memberSelect(`(${after}) AS members`)}) AS s`;
}

/**
 * What a terminal pulls, per protocol. Members keep their own statement (the snapshot's million rows
 * go out without a subquery). A v1 terminal is sent its own member shape, only the conflicts its schema
 * knows, and no brand row (docs/authority.md "Protocol v1", docs/privacy.md).
 */
function sourcesFor(protocol: 1 | 2): Source[] {
  return Object.entries(FEED).flatMap(([table, f]): Source[] => {
    if (table === 'members') {
      const data = protocol === 1 ? MEMBER_DATA_V1 : MEMBER_DATA;
      return [{ sql: `SELECT seq, ${record('member', data)} FROM members WHERE seq > $1 AND ${LIVE} ORDER BY seq LIMIT $3`, scoped: null }];
    }
    if (protocol === 1 && V2_ONLY.has(table)) return [];
    if (protocol === 1 && table === 'conflicts') {
      return [simple(f.entity, f.select, `${f.scope} AND kind IN (${inList(CONFLICT_KINDS_V1)}) AND decision IN (${inList(CONFLICT_DECISIONS_V1)})`)];
    }
    return [simple(f.entity, f.select, f.scope, f.scopeBy)];
  });
}
const SOURCES = { 1: sourcesFor(1), 2: sourcesFor(2) } as const;

function simple(entity: Change['entity'], select: string, scope?: string, scopeBy: 'store' | 'terminal' = 'store'): Source {
  const hasTombstones = !select.includes('false AS tombstone');
  // $2 is always bound, so rows without tombstones still name it (Postgres wants every parameter typed).
  const where = `seq > $1 AND ${hasTombstones ? LIVE : '$2::bigint >= 0'}${scope ? ` AND ${scope}` : ''}`;
  return { sql: `SELECT seq, ${record(entity, 'data')} FROM (${select} WHERE ${where} ORDER BY seq LIMIT $3) AS s`, scoped: scope === undefined ? null : scopeBy };
}

async function rulesChange(q: Queryable, who: TerminalPrincipal, cursor: Cursor): Promise<Row | null> {
  const { rules, seq } = await globalRules(q);
  const [t] = await q.query<{ offline_limits: OfflineRiskLimits | null; seq: number | null }>('SELECT offline_limits, seq FROM terminals WHERE id = $1', [who.terminalId]);
  const at = Math.max(seq, t?.seq ?? 0);
  if (at <= cursor.s) return null;
  const change: Change = { entity: 'rules', id: 'rules', seq: at, deleted: false, data: effectiveRules(rules, t?.offline_limits ?? null) };
  return { seq: at, j: JSON.stringify(change) };
}

export async function pullChanges(db: HqDb, who: TerminalPrincipal, cursorText: string | undefined, limit: number, protocol: 1 | 2 = 2): Promise<JsonText<PullResponse>> {
  const given = cursorText === undefined ? null : decodeCursor(cursorText);
  return db.tx(async (q) => {
    // A terminal running low on card numbers gets a new block in this very page (docs/join.md).
    if (protocol === 2 && (await topUpCardBlocks(q, who.terminalId, Date.now()))) await stampChanges(q, ['card_blocks']);
    const cursor: Cursor = given ?? { v: 1, s: 0, h: await feedHigh(q) };
    const all: Row[] = [];
    for (const src of SOURCES[protocol]) {
      const params: unknown[] = [cursor.s, cursor.h, limit + 1];
      if (src.scoped) params.push(src.scoped === 'terminal' ? who.terminalId : who.storeId);
      for (const r of await q.query<Row>(src.sql, params)) all.push(r);
    }
    const rules = await rulesChange(q, who, cursor);
    if (rules) all.push(rules);
    all.sort((a, b) => a.seq - b.seq);
    const page = all.slice(0, limit);
    const more = all.length > limit;
    const last = page.at(-1)?.seq ?? cursor.s;
    await q.query('UPDATE terminals SET last_seen_at = $1 WHERE id = $2', [Date.now(), who.terminalId]);
    const next = encodeCursor({ v: 1, s: last, h: cursor.h });
    return new JsonText<PullResponse>(`{"ok":true,"changes":[${page.map((r) => r.j).join(',')}],"cursor":${JSON.stringify(next)},"more":${more},"serverTime":${Date.now()}}`);
  });
}
