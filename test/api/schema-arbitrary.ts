/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document, for the schema-driven fuzz run.
 * `valid` draws values the schema accepts (the shape a well-behaved client sends); `anything` mixes in
 * values that break it: wrong types, unknown fields, out-of-range numbers, junk strings.
 */
import fc from 'fast-check';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
};

const FORMATS: Record<string, fc.Arbitrary<string>> = {
  date: fc
    .date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  'date-time': fc
    .date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  uuid: fc.uuid(),
  email: fc.emailAddress(),
};

/** Values the schema accepts (lists kept short: the point is shape, not volume). */
export function valid(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => valid(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format && FORMATS[schema.format]) return FORMATS[schema.format]!;
      if (schema.pattern) {
        const max = schema.maxLength ?? 40;
        return fc
          .stringMatching(new RegExp(schema.pattern))
          .filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= max);
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) });
    }
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? -1_000,
        max: Math.min(schema.maximum ?? 1_000_000, 2_147_483_647),
      });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valid(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object': {
      if (!schema.properties)
        return depth > 3
          ? fc.constant({})
          : fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(schema.properties);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of entries) record[k] = valid(s, depth + 1);
      return fc.record(record, { requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Mostly valid values, sometimes broken ones: the mix a schema-driven fuzzer sends. */
export function anything(schema: JsonSchema): fc.Arbitrary<unknown> {
  const broken = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    valid(schema).map((v) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...v, unexpectedField: 1 } : v,
    ),
    fc.constantFrom('', -1, 0, 1e308, 'null', '../../etc/passwd', "' or 1=1 --", '\u0000', '𝕏'.repeat(50)),
  );
  return fc.oneof({ arbitrary: valid(schema), weight: 4 }, { arbitrary: broken, weight: 1 });
}
