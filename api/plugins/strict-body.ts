/**
 * JSON bodies are checked for their types before Fastify validates them. The validator coerces types
 * (query strings and path parameters arrive as text and need it), and in a body that coercion would take
 * `"chargeCents": "150.00"` as 150 cents, `"units": "2"` as 2 and `"waiverOnFile": "false"` as false.
 * Money and decisions arrive as the JSON types the schema names, or are refused with 400 naming the
 * field. Only where coercion could happen does this look: the value's JSON type against the types the
 * route's body schema allows, recursively through properties, array items and unambiguous unions.
 */

import type { App } from '../types.js';
import { badRequest, type FieldError } from './problems.js';

interface Schema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'array' | 'object';

function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as JsonType;
}

/** The JSON types `s` accepts; undefined when it accepts any (no type constraint we can read). */
function typesOf(s: Schema): Set<string> | undefined {
  if (s.type !== undefined) return new Set(Array.isArray(s.type) ? s.type : [s.type]);
  const values = s.const !== undefined ? [s.const] : s.enum;
  if (values) return new Set(values.map(jsonType));
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const all = new Set<string>();
    for (const b of branches) {
      const t = typesOf(b);
      if (!t) return undefined;
      for (const x of t) all.add(x);
    }
    return all;
  }
  if (s.allOf) {
    for (const b of s.allOf) {
      const t = typesOf(b);
      if (t) return t;
    }
  }
  return undefined;
}

function accepts(types: Set<string>, actual: JsonType): boolean {
  return types.has(actual) || (actual === 'integer' && types.has('number'));
}

/** Collects the fields of `value` whose JSON type `schema` does not allow. */
export function typeMismatches(value: unknown, schema: Schema, path: string, out: FieldError[]): void {
  const actual = jsonType(value);
  const types = typesOf(schema);
  if (types && !accepts(types, actual)) {
    out.push({
      field: path,
      message: `must be ${[...types].join(' or ')}, not ${actual === 'integer' ? 'number' : actual}`,
    });
    return;
  }
  // A union: look inside the one branch that takes this JSON type, if only one does.
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const fitting = branches.filter((b) => {
      const t = typesOf(b);
      return !t || accepts(t, actual);
    });
    if (fitting.length === 1) typeMismatches(value, fitting[0]!, path, out);
    return;
  }
  for (const part of schema.allOf ?? []) typeMismatches(value, part, path, out);
  if (actual === 'object' && schema.properties) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) typeMismatches(v, sub, `${path}/${key}`, out);
    }
  }
  if (actual === 'array' && schema.items && !Array.isArray(schema.items)) {
    const items = schema.items;
    for (const [i, v] of (value as unknown[]).entries()) typeMismatches(v, items, `${path}/${i}`, out);
  }
}

/** Adds the type check in front of the validation of every route with a body schema. */
export function registerStrictBody(app: App): void {
  app.addHook('onRoute', (route) => {
    const schema = (route.schema as { body?: Schema } | undefined)?.body;
    if (!schema) return;
    const check = async (req: { body: unknown }) => {
      const errors: FieldError[] = [];
      typeMismatches(req.body, schema, 'body', errors);
      if (errors.length > 0) throw badRequest('the request does not match the schema', errors);
    };
    const existing = route.preValidation;
    route.preValidation = [...(existing ? (Array.isArray(existing) ? existing : [existing]) : []), check];
  });
}
