import type { Contract, JsonObject, ParameterModel } from '../src/core/contract/model.ts';
import type { ValidatorCache } from '../src/core/validate/cache.ts';
import { violationSchemaPointer } from './schema-location.ts';

/**
 * Ways to make one part of a valid request invalid. Every mutation is checked against the
 * contract's own schema before it is used: if the mutated value still validates (an open string,
 * a union that allows it), the mutation is dropped, so a request that is valid by the contract is
 * never sent as "negative".
 */
export interface Mutation {
  /** Short description used in reports: what was made invalid and how. */
  label: string;
  target: { kind: 'parameter'; parameter: ParameterModel } | { kind: 'body' };
  /** New raw value (string for parameters, parsed JSON for bodies); undefined removes it. */
  value: unknown;
  /** Pointer, in the bundled document, of the rule the mutation breaks: the schema keyword, or the required parameter. */
  pointer?: string;
}

type Schema = JsonObject;

function types(schema: Schema): string[] {
  const t = schema.type;
  return Array.isArray(t) ? t.map(String) : typeof t === 'string' ? [t] : [];
}

/** Candidate invalid values for a single schema, each with a label. */
function invalidValuesFor(schema: Schema): Array<{ label: string; value: unknown }> {
  const out: Array<{ label: string; value: unknown }> = [];
  const t = types(schema);
  if (t.includes('integer') || t.includes('number')) out.push({ label: 'wrong type (text where a number is required)', value: 'not-a-number' });
  if (t.includes('boolean')) out.push({ label: 'wrong type (text where a boolean is required)', value: 'maybe' });
  if (t.includes('string') && !t.includes('integer') && !t.includes('number')) {
    out.push({ label: 'wrong type (object where a string is required)', value: { unexpected: true } });
  }
  if (Array.isArray(schema.enum)) out.push({ label: 'value outside the enum', value: '__not_in_enum__' });
  if (typeof schema.maximum === 'number') out.push({ label: `above maximum ${schema.maximum}`, value: schema.maximum + 1 });
  if (typeof schema.minimum === 'number') out.push({ label: `below minimum ${schema.minimum}`, value: schema.minimum - 1 });
  if (typeof schema.maxLength === 'number' && schema.maxLength < 10_000) {
    out.push({ label: `longer than maxLength ${schema.maxLength}`, value: 'x'.repeat(schema.maxLength + 1) });
  }
  if (typeof schema.pattern === 'string') out.push({ label: 'does not match the pattern', value: ' \u0000 ' });
  return out;
}

/** A query/path/header value as the server will parse it: numbers and booleans from their text. */
function asParsedParameter(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (raw !== '' && !Number.isNaN(Number(raw)) && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

export function parameterMutations(
  contract: Contract,
  params: ParameterModel[],
  validators: ValidatorCache,
  resolve: (schema: Schema) => Schema,
): Mutation[] {
  const out: Mutation[] = [];
  for (const p of params) {
    if (p.in === 'cookie') continue;
    if (p.required && p.in !== 'path') {
      const pointer = p.schemaPointer?.replace(/\/schema$/, '');
      out.push({ label: `required ${p.in} parameter '${p.name}' missing`, target: { kind: 'parameter', parameter: p }, value: undefined, pointer });
    }
    if (!p.schema || !p.schemaPointer) continue;
    for (const candidate of invalidValuesFor(resolve(p.schema))) {
      // Objects cannot be put in a URL; only scalar mutations apply to parameters.
      if (typeof candidate.value === 'object') continue;
      const raw = String(candidate.value);
      if (p.in === 'path' && raw.includes('/')) continue;
      const violations = validators.validate(contract, p.schemaPointer, asParsedParameter(raw));
      if (violations.length === 0) continue;
      const pointer = violationSchemaPointer(contract.document, p.schemaPointer, violations[0]!);
      out.push({ label: `${p.in} parameter '${p.name}': ${candidate.label}`, target: { kind: 'parameter', parameter: p }, value: raw, pointer });
    }
  }
  return out;
}

/**
 * Body mutations on the top level of a JSON object body: drop a required property, give a property
 * an invalid value, add an unknown property where additional properties are forbidden.
 */
export function bodyMutations(
  contract: Contract,
  schemaPointer: string,
  schema: Schema,
  valid: unknown,
  validators: ValidatorCache,
  resolve: (schema: Schema) => Schema,
): Mutation[] {
  const out: Mutation[] = [];
  const root = resolve(schema);
  const candidates: Array<{ label: string; value: unknown }> = [
    { label: 'body is a JSON string instead of an object', value: 'not an object' },
  ];
  if (valid && typeof valid === 'object' && !Array.isArray(valid)) {
    const obj = valid as Record<string, unknown>;
    for (const name of Array.isArray(root.required) ? root.required.map(String) : []) {
      const { [name]: _dropped, ...rest } = obj;
      candidates.push({ label: `required body property '${name}' missing`, value: rest });
    }
    const properties = (root.properties ?? {}) as Record<string, Schema>;
    for (const [name, raw] of Object.entries(properties)) {
      for (const c of invalidValuesFor(resolve(raw))) candidates.push({ label: `body property '${name}': ${c.label}`, value: { ...obj, [name]: c.value } });
    }
    if (root.additionalProperties === false) candidates.push({ label: 'unknown body property', value: { ...obj, __unexpected__: 1 } });
  }
  for (const c of candidates) {
    const violations = validators.validate(contract, schemaPointer, c.value);
    if (violations.length === 0) continue;
    out.push({ label: c.label, target: { kind: 'body' }, value: c.value, pointer: violationSchemaPointer(contract.document, schemaPointer, violations[0]!) });
  }
  return out;
}
