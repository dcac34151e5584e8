/**
 * Renders scenarios/k6/endpoints.ts from the API's own endpoint table
 * (src/api/endpoints.ts) and its zod inputs (src/api/inputs.ts): every method, path,
 * path parameter, query and body field name and their types, so the k6 scripts send
 * what `ledger-bench serve` accepts and nothing is restated by hand. k6 cannot import
 * Node modules at run time, hence a generated plain-TypeScript file; the test that
 * checks generated files are current fails on any change of the API.
 */
import { z } from 'zod';
import { ENDPOINTS } from '../api/endpoints.js';
import { ANCHOR_TYPES, OUTCOMES } from '../../scenarios/anchor-lifecycle.js';
import { SOURCES } from '../../scenarios/post-journal-entry.js';

/** The JSON Schema subset zod emits for the API's inputs. */
interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
}

/** Where each field of one endpoint's input travels. */
export interface EndpointShape {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  pathParams: string[];
  query: string[];
  body: string[];
  /** The input's TypeScript type (path, query and body merged, as the API validates them). */
  type: string;
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function tsType(s: JsonSchema, where: string): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return types
    .map((t) => {
      switch (t) {
        case 'string':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'array':
          return `Array<${tsType(s.items ?? {}, `${where}[]`)}>`;
        case 'object':
          return objectType(s, where);
        default:
          throw new Error(`${where}: no TypeScript type for JSON Schema type ${String(t)} (extend src/k6/render-endpoints.ts)`);
      }
    })
    .join(' | ');
}

function objectType(s: JsonSchema, where: string): string {
  const req = new Set(s.required ?? []);
  const fields = Object.entries(s.properties ?? {}).map(([k, v]) => `${k}${req.has(k) ? '' : '?'}: ${tsType(v, `${where}.${k}`)}`);
  return fields.length ? `{ ${fields.join('; ')} }` : 'Record<string, never>';
}

/** Each API endpoint's route and fields, in the API's order. */
export function endpointShapes(): EndpointShape[] {
  return ENDPOINTS.map((e) => {
    const schema = z.toJSONSchema(e.input, { io: 'input', unrepresentable: 'throw' }) as JsonSchema;
    if (schema.type !== 'object') throw new Error(`${e.name}: the API input is not an object schema`);
    const pathParams = [...e.path.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]!);
    const fields = Object.keys(schema.properties ?? {});
    const missing = pathParams.filter((p) => !fields.includes(p));
    if (missing.length) throw new Error(`${e.method} ${e.path}: the input does not validate :${missing.join(', :')}`);
    const rest = fields.filter((f) => !pathParams.includes(f));
    if (e.method === 'GET') {
      const nested = rest.filter((f) => /object|array/.test(String(schema.properties![f]!.type)));
      if (nested.length) throw new Error(`${e.method} ${e.path}: query fields ${nested.join(', ')} are not scalars`);
    }
    return {
      name: e.name,
      method: e.method,
      path: e.path,
      pathParams,
      query: e.method === 'GET' ? rest : [],
      body: e.method === 'POST' ? rest : [],
      type: objectType(schema, e.name),
    };
  });
}

const list = (xs: readonly string[]) => `[${xs.map(quote).join(', ')}]`;

/** The text of scenarios/k6/endpoints.ts. */
export function renderEndpoints(header: string): string {
  const shapes = endpointShapes();
  const table = shapes
    .map((e) => `  ${quote(e.name)}: { method: '${e.method}', path: ${quote(e.path)}, pathParams: ${list(e.pathParams)}, query: ${list(e.query)}, body: ${list(e.body)} },`)
    .join('\n');
  const inputs = shapes.map((e) => `  ${quote(e.name)}: ${e.type};`).join('\n');
  return `${header}/**
 * The HTTP API of \`ledger-bench serve\` as the k6 scripts see it: each endpoint's
 * method, path, and which of its input fields travel in the path, the query string or
 * the JSON body, with their types. Plain TypeScript without imports: k6 loads it at
 * run time, and Node (tests) can load it too.
 */

/** One endpoint: method, route (\`:name\` segments) and where its fields go. */
export interface ApiEndpoint {
  method: 'GET' | 'POST';
  path: string;
  pathParams: readonly string[];
  query: readonly string[];
  body: readonly string[];
}

/** Every endpoint, by the API's name for it (the scenario it serves, or a name of its own). */
export const ENDPOINTS = {
${table}
} as const satisfies Record<string, ApiEndpoint>;

/** An endpoint's name. */
export type EndpointName = keyof typeof ENDPOINTS;

/** What each endpoint takes: path, query and body fields merged, as the API validates them. */
export interface EndpointInputs {
${inputs}
}

/** Entry sources (the schema's CHECK list). */
export const SOURCES = ${JSON.stringify(SOURCES)} as const;
/** Anchor types (the schema's CHECK list). */
export const ANCHOR_TYPES = ${JSON.stringify(ANCHOR_TYPES)} as const;
/** Final statuses a PENDING authorization can move to. */
export const OUTCOMES = ${JSON.stringify(OUTCOMES)} as const;

/** One request, ready for k6's \`http.request(method, baseUrl + path, body, ...)\`. */
export interface ApiRequest {
  endpoint: EndpointName;
  method: 'GET' | 'POST';
  /** Path with its segments filled and the query string appended. */
  path: string;
  /** JSON body (POST), or null. */
  body: string | null;
}

/**
 * The request of endpoint \`name\` for \`input\`: path segments filled (URI-encoded), the
 * query fields in the query string (undefined ones left out), the body fields as JSON.
 */
export function requestOf<N extends EndpointName>(name: N, input: EndpointInputs[N]): ApiRequest {
  const e: ApiEndpoint = ENDPOINTS[name];
  const values = input as Record<string, unknown>;
  const path = e.path.replace(/:([A-Za-z_]\\w*)/g, (_, key: string) => encodeURIComponent(String(values[key])));
  const query = e.query
    .filter((k) => values[k] !== undefined)
    .map((k) => \`\${encodeURIComponent(k)}=\${encodeURIComponent(String(values[k]))}\`);
  const body: Record<string, unknown> = {};
  for (const k of e.body) if (values[k] !== undefined) body[k] = values[k];
  return {
    endpoint: name,
    method: e.method,
    path: query.length ? \`\${path}?\${query.join('&')}\` : path,
    body: e.method === 'POST' ? JSON.stringify(body) : null,
  };
}
`;
}
