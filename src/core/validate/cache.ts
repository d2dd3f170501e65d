import Ajv2020Module, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// ajv is CommonJS; under NodeNext its class is the default export's `default`.
const Ajv2020 = Ajv2020Module.default;
type Ajv2020 = InstanceType<typeof Ajv2020>;
import type { Contract } from '../contract/model.ts';

/** One schema violation, with the JSON pointer into the validated value and the offending value. */
export interface Violation {
  /** JSON pointer into the instance (`/0/severity`); empty string for the root. */
  instancePath: string;
  /** Where in the schema the failing keyword is. */
  schemaPath: string;
  message: string;
  /** The offending value, truncated for display. */
  value: string;
}

const MAX_VALUE_LENGTH = 80;

/**
 * Response and request schemas are compiled once per contract and schema pointer, and the compiled
 * functions are shared by every caller (smoke check, runner, tests, library users).
 */
export class ValidatorCache {
  private readonly ajvByContract = new Map<string, { ajv: Ajv2020; id: string }>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly coercingAjvByContract = new Map<string, { ajv: Ajv2020; id: string }>();
  private readonly coercing = new Map<string, ValidateFunction>();

  /** Validates `value` against the schema at `schemaPointer` of the contract's bundled document. */
  validate(contract: Contract, schemaPointer: string, value: unknown): Violation[] {
    const validate = this.get(contract, schemaPointer);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => toViolation(e, value));
  }

  get(contract: Contract, schemaPointer: string): ValidateFunction {
    const key = `${contract.rootFile}${schemaPointer}`;
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const { ajv, id } = this.ajvFor(contract);
    const fn = ajv.compile({ $ref: `${id}${schemaPointer}` });
    this.compiled.set(key, fn);
    return fn;
  }

  /**
   * Reads a value sent as text (a path segment, a query string value) as the schema at
   * `schemaPointer` types it, and validates it: `"20"` becomes 20 for an integer, a single `"a"` a
   * one-item list for an array, `"true"` true. Returns the value to use and the violations (none
   * when it fits). JSON bodies are never coerced: a service reading JSON refuses `"20"` for a number.
   */
  coerce(contract: Contract, schemaPointer: string, value: unknown): { value: unknown; violations: Violation[] } {
    const key = `${contract.rootFile}${schemaPointer}`;
    let validate = this.coercing.get(key);
    if (!validate) {
      const { ajv, id } = this.ajvFor(contract, 'coercing');
      // ajv coerces a value in its parent object; a root value could not be handed back, so the
      // value is validated as the one property of a holder object.
      validate = ajv.compile({ type: 'object', properties: { value: { $ref: `${id}${schemaPointer}` } } });
      this.coercing.set(key, validate);
    }
    const holder = { value };
    const valid = validate(holder);
    const read = holder.value;
    if (valid) return { value: read, violations: [] };
    const errors = (validate.errors ?? []).map((e) => ({ ...e, instancePath: e.instancePath.replace(/^\/value/, '') }));
    return { value: read, violations: errors.map((e) => toViolation(e, read)) };
  }

  get size(): number {
    return this.compiled.size;
  }

  /**
   * The contract's whole bundled document as one schema resource of an ajv, so `$ref`s such as
   * `#/components/schemas/Device` inside it resolve without rewriting anything. The coercing variant
   * reads text as the schema's types and stops at the first error (request parameters in the mocks).
   */
  private ajvFor(contract: Contract, variant: 'exact' | 'coercing' = 'exact'): { ajv: Ajv2020; id: string } {
    const byContract = variant === 'exact' ? this.ajvByContract : this.coercingAjvByContract;
    let entry = byContract.get(contract.rootFile);
    if (!entry) {
      const ajv = variant === 'exact' ? createAjv() : createAjv({ coerceTypes: 'array', allErrors: false });
      const id = `urn:contract:${encodeURIComponent(contract.api)}`;
      ajv.addSchema(contract.document, id);
      entry = { ajv, id };
      byContract.set(contract.rootFile, entry);
    }
    return entry;
  }
}

/** `verbose` adds each error's own schema (`parentSchema`), for messages written in the schema. */
export function createAjv(options: { coerceTypes?: boolean | 'array'; allErrors?: boolean; verbose?: boolean } = {}): Ajv2020 {
  // strict: false because OpenAPI schemas legitimately carry keywords JSON Schema does not know
  // (`example`, `xml`, `discriminator`, `x-*`); lint checks their shape instead.
  const ajv = new Ajv2020({ strict: false, allErrors: options.allErrors ?? true, validateFormats: true, discriminator: true, coerceTypes: options.coerceTypes ?? false, verbose: options.verbose ?? false });
  addFormats.default(ajv);
  // OpenAPI's own format names for numbers and strings.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  for (const name of ['byte', 'binary', 'password']) ajv.addFormat(name, true);
  return ajv;
}

function toViolation(error: ErrorObject, root: unknown): Violation {
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'required' && typeof error.params.missingProperty === 'string') {
    message = `is missing required property '${error.params.missingProperty}'`;
  } else if (error.keyword === 'enum' && Array.isArray(error.params.allowedValues)) {
    message = `must be one of ${truncate(JSON.stringify(error.params.allowedValues))}`;
  } else if (error.keyword === 'additionalProperties') {
    message = `has unexpected property '${String(error.params.additionalProperty)}'`;
  }
  return {
    instancePath: error.instancePath,
    schemaPath: error.schemaPath,
    message,
    value: truncate(JSON.stringify(valueAt(root, error.instancePath)) ?? 'undefined'),
  };
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node: unknown = root;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node && typeof node === 'object') node = (node as Record<string, unknown>)[key];
    else return undefined;
  }
  return node;
}

function truncate(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** The cache shared by everything in this process. */
export const validators = new ValidatorCache();
