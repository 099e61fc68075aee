// Admin routes (/v1/admin, admin token): master data, enrollment codes, keys, revocations, conflicts.
import { z } from 'zod';
import * as admin from '../services/admin';
import { createEnrollmentCode } from '../services/enroll';
import { listSetAsideReports } from '../services/setAsideReports';
import { listHistoryAsks } from '../services/memberHistory';
import { setNameDisplay } from '../services/brand';
import { publishTerms } from '../services/terms';
import {
  benefitsBody,
  catalogBody,
  enrollmentCodeBody,
  idSchema,
  keyImportBody,
  limitsBody,
  brandBody,
  termsBody,
  membersBody,
  parseBody,
  revokeBody,
  rotateKeyBody,
  rulesBody,
  staffBody,
  stockBody,
  storeQuery,
  storesBody,
} from '../validation';
import type { RouteDef } from './route';
import { okSchema } from './sync';

const id = (params: Record<string, string>) => parseBody(idSchema, params.id);
const ok = <T extends object>(v: T) => ({ ok: true as const, ...v });

export const adminRoutes: RouteDef[] = [
  { method: 'PUT', path: '/v1/admin/stores', summary: 'Create or update stores (a new store gets its PIN salt)', auth: 'admin', body: storesBody, response: okSchema,
    handler: async ({ body }, { db }) => ok(await admin.upsertStores(db, parseBody(storesBody, body).stores)) },
  { method: 'POST', path: '/v1/admin/members', summary: 'Create or update members (full state; up to 5,000 a request)', auth: 'admin', body: membersBody, response: okSchema,
    handler: async ({ body }, { db }) => ok(await admin.upsertMembers(db, parseBody(membersBody, body).members)) },
  { method: 'DELETE', path: '/v1/admin/members/:id', summary: 'Delete a member (terminals get a tombstone)', auth: 'admin', response: okSchema,
    handler: async ({ params }, { db }) => ok(await admin.deleteRow(db, 'members', id(params))) },
  { method: 'POST', path: '/v1/admin/benefits', summary: 'Create or update benefits', auth: 'admin', body: benefitsBody, response: okSchema,
    handler: async ({ body }, { db }) => ok(await admin.upsertBenefits(db, parseBody(benefitsBody, body).benefits)) },
  { method: 'DELETE', path: '/v1/admin/benefits/:id', summary: 'Withdraw a benefit (tombstone)', auth: 'admin', response: okSchema,
    handler: async ({ params }, { db }) => ok(await admin.deleteRow(db, 'benefits', id(params))) },
  { method: 'POST', path: '/v1/admin/catalog', summary: 'Create or update points-catalog items', auth: 'admin', body: catalogBody, response: okSchema,
    handler: async ({ body }, { db }) => ok(await admin.upsertCatalog(db, parseBody(catalogBody, body).items)) },
  { method: 'DELETE', path: '/v1/admin/catalog/:id', summary: 'Withdraw a catalog item (tombstone)', auth: 'admin', response: okSchema,
    handler: async ({ params }, { db }) => ok(await admin.deleteRow(db, 'catalog_items', id(params))) },
  { method: 'PUT', path: '/v1/admin/rules', summary: 'Replace the loyalty rules (tiers, points, default offline risk limits)', auth: 'admin', body: rulesBody, response: okSchema,
    handler: async ({ body }, { db, clock }) => ok(await admin.setRules(db, parseBody(rulesBody, body), clock())) },
  { method: 'PUT', path: '/v1/admin/terminals/:id/limits', summary: "Set one terminal's offline risk limits (null: the rules' defaults)", auth: 'admin', body: limitsBody, response: okSchema,
    handler: async ({ body, params }, { db }) => ok(await admin.setTerminalLimits(db, id(params), parseBody(limitsBody, body).offline)) },
  { method: 'PUT', path: '/v1/admin/brand', summary: "How terminals show members' names: full, or surname and mask (every member is sent again when it changes)", auth: 'admin', body: brandBody, response: okSchema,
    handler: async ({ body }, { db }) => ok(await setNameDisplay(db, parseBody(brandBody, body).nameDisplay)) },
  { method: 'PUT', path: '/v1/admin/terms', summary: 'Publish the privacy terms members agree to at sign-up (a new version; terminals show the highest)', auth: 'admin', body: termsBody, response: okSchema,
    handler: async ({ body }, { db, clock }) => ok(await publishTerms(db, parseBody(termsBody, body), clock())) },
  { method: 'GET', path: '/v1/admin/terminals', summary: 'Enrolled terminals', auth: 'admin', query: storeQuery, response: okSchema,
    handler: async ({ query }, { db }) => ok(await admin.listTerminals(db, parseBody(storeQuery, query).storeId)) },
  { method: 'POST', path: '/v1/admin/staff', summary: 'Create or update staff (PINs hashed with the store salt; unique per store)', auth: 'admin', body: staffBody, response: okSchema,
    handler: async ({ body }, { db }) => ok(await admin.upsertStaff(db, parseBody(staffBody, body).staff)) },
  { method: 'DELETE', path: '/v1/admin/staff/:id', summary: 'Remove a staff member (tombstone)', auth: 'admin', response: okSchema,
    handler: async ({ params }, { db }) => ok(await admin.deleteRow(db, 'staff', id(params))) },
  { method: 'PUT', path: '/v1/admin/stock', summary: "Set a store's stock levels", auth: 'admin', body: stockBody, response: okSchema,
    handler: async ({ body }, { db }) => {
      const b = parseBody(stockBody, body);
      return ok(await admin.upsertStock(db, b.storeId, b.items));
    } },
  { method: 'POST', path: '/v1/admin/keys', summary: 'Import an Ed25519 signing key (JWK with its private half)', auth: 'admin', body: keyImportBody, response: okSchema,
    handler: async ({ body }, { db, clock }) => {
      const b = parseBody(keyImportBody, body);
      return ok(await admin.importKey(db, b.jwk, b.validFrom ?? clock(), clock()));
    } },
  { method: 'POST', path: '/v1/admin/keys/rotate', summary: 'Make a new signing key (returned once as a private JWK); optionally retire an old one', auth: 'admin', body: rotateKeyBody, response: okSchema,
    handler: async ({ body }, { db, clock }) => ok(await admin.rotateKey(db, parseBody(rotateKeyBody, body ?? {}).retire, clock())) },
  { method: 'POST', path: '/v1/admin/revocations', summary: 'Revoke a card (card serial 0: every card of the member)', auth: 'admin', body: revokeBody, response: okSchema,
    handler: async ({ body }, { db, clock }) => ok(await admin.revokeCard(db, parseBody(revokeBody, body), clock())) },
  { method: 'POST', path: '/v1/admin/enrollment-codes', summary: 'A one-time enrollment code for a store (the first store when none is named)', auth: 'admin', body: enrollmentCodeBody,
    response: z.object({ ok: z.literal(true), code: z.string(), storeId: z.string(), expiresAt: z.int() }),
    handler: async ({ body }, { db, clock }) => ok(await createEnrollmentCode(db, parseBody(enrollmentCodeBody, body ?? {}).storeId, clock())) },
  { method: 'GET', path: '/v1/admin/set-aside', summary: 'Rows terminals could not parse and set aside, as they reported them', auth: 'admin', query: storeQuery,
    response: okSchema, handler: async ({ query }, { db }) => ok(await listSetAsideReports(db, parseBody(storeQuery, query).storeId)) },
  { method: 'GET', path: '/v1/admin/terminal-restores', summary: 'Restores terminals told HQ about (newest first): terminal, store, when, the backup and the audit head HQ re-anchored at', auth: 'admin', query: storeQuery,
    response: okSchema, handler: async ({ query }, { db }) => ok(await admin.listTerminalRestores(db, parseBody(storeQuery, query).storeId)) },
  { method: 'GET', path: '/v1/admin/history-asks', summary: 'Member histories each terminal asked for in the last 24 hours, answered and refused (docs/history.md)', auth: 'admin', query: storeQuery,
    response: okSchema, handler: async ({ query }, { db, clock }) => ok(await listHistoryAsks(db, parseBody(storeQuery, query).storeId, clock())) },
  { method: 'GET', path: '/v1/admin/conflicts', summary: 'Conflicts HQ decided, for the manager', auth: 'admin', query: storeQuery, response: okSchema,
    handler: async ({ query }, { db }) => ok(await admin.listConflicts(db, parseBody(storeQuery, query).storeId)) },
];
