// /v1/openapi.json, generated from the same route list the server registers and the zod schemas
// both ends parse with, so the document cannot drift from what HQ accepts.
import { z } from 'zod';
import { errorBodySchema } from '../sync/protocol';
import type { RouteDef } from './routes/route';

const json = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io });

export function openApiDocument(routes: RouteDef[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = r.query ? Object.entries((json(r.query, 'input').properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({ name, in: 'query', schema })) : [];
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      ...(r.auth === 'none' ? { security: [] } : { security: [{ [r.auth === 'admin' ? 'adminToken' : 'terminalCredential']: [] }] }),
      ...(params.length + query.length > 0 ? { parameters: [...params, ...query] } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(r.body, 'input') } } } } : {}),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: json(r.response, 'output') } } },
        default: { description: 'A typed error', content: { 'application/json': { schema: json(errorBodySchema, 'output') } } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Loyalty Desk HQ', version: '1', description: 'Sync protocol v1 and HQ administration (docs/sync.md).' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        terminalCredential: { type: 'http', scheme: 'bearer', description: 'the credential a terminal got at enrollment' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'the HQ admin token (HQ_ADMIN_TOKEN or --admin-token-file)' },
      },
    },
    paths,
  };
}
