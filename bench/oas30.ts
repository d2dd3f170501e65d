/**
 * A best-effort down-conversion of a bundled OpenAPI 3.1 document to 3.0.3, for tools that read
 * only 3.0 (Dredd 14.1's experimental OpenAPI 3 parser). What it changes, and what it drops:
 *
 * - `type: [T, 'null']` → `type: T, nullable: true`; several non-null types → `anyOf` of each type
 * - `const: v` → `enum: [v]`; schema `examples: [a, …]` → `example: a`
 * - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` + boolean flag
 * - `if`/`then`/`else`, `prefixItems`, `unevaluated*`, `dependent*`, `$defs`, `$schema`, `$id`,
 *   `$comment`, `contentMediaType`, `contentEncoding` are removed (no 3.0 equivalent); the list of
 *   what was dropped is returned so the bench can say where the 3.0 reading is weaker
 * - parameters and media types without `example` get their first named example's value, since
 *   Dredd fills path parameters and bodies only from `example`; a parameter with no example at all
 *   gets its default, first enum value or a value sampled from its schema (Dredd aborts the whole
 *   run on one path parameter it cannot fill; our runner samples such values itself)
 * - `webhooks`, `jsonSchemaDialect`, `info.license.identifier`, `info.summary` are removed
 */
import { sample } from 'openapi-sampler';

type Json = Record<string, unknown>;

const DROPPED_KEYWORDS = ['if', 'then', 'else', 'prefixItems', 'unevaluatedProperties', 'unevaluatedItems', 'dependentRequired', 'dependentSchemas', '$defs', '$schema', '$id', '$comment', 'contentMediaType', 'contentEncoding', 'propertyNames', 'contains', 'minContains', 'maxContains', 'patternProperties'];
const SCHEMA_MAPS = ['properties'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const SCHEMA_SINGLE = ['items', 'not', 'additionalProperties'];

export interface Conversion {
  document: Json;
  /** keyword → how many times it was removed or rewritten lossily. */
  lossy: Record<string, number>;
}

export function toOpenApi30(source: Json): Conversion {
  const doc = structuredClone(source);
  const lossy: Record<string, number> = {};
  const note = (k: string) => (lossy[k] = (lossy[k] ?? 0) + 1);
  doc.openapi = '3.0.3';
  delete doc.webhooks;
  delete doc.jsonSchemaDialect;
  const info = doc.info as Json | undefined;
  if (info) {
    delete info.summary;
    const license = info.license as Json | undefined;
    if (license?.identifier) {
      delete license.identifier;
      if (!license.url) license.url = 'https://spdx.org/licenses/';
    }
  }

  const schema = (node: unknown): void => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const s = node as Json;
    if (typeof s.$ref === 'string') {
      // 3.0 ignores siblings of $ref; keep only the reference.
      for (const k of Object.keys(s)) if (k !== '$ref') delete s[k];
      return;
    }
    if (Array.isArray(s.type)) {
      const types = s.type as string[];
      const real = types.filter((t) => t !== 'null');
      if (types.includes('null')) s.nullable = true;
      if (real.length === 1) s.type = real[0];
      else {
        delete s.type;
        if (real.length > 1) {
          note('type (several types)');
          s.anyOf = [...((s.anyOf as unknown[]) ?? []), ...real.map((t) => ({ type: t }))];
        }
      }
    } else if (s.type === 'null') {
      delete s.type;
      s.nullable = true;
      s.enum = [null];
    }
    if ('const' in s) {
      s.enum = [s.const];
      delete s.const;
    }
    if (Array.isArray(s.examples)) {
      if (s.example === undefined && s.examples.length > 0) s.example = s.examples[0];
      delete s.examples;
    }
    for (const [k, flag] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof s[k] === 'number') {
        s[flag] = s[k];
        s[k] = true;
      }
    }
    for (const k of DROPPED_KEYWORDS) {
      if (k in s) {
        note(k);
        delete s[k];
      }
    }
    // A 3.0 nullable without a type is ignored by most readers; anyOf branches keep it meaningful.
    for (const k of SCHEMA_MAPS) if (s[k] && typeof s[k] === 'object') for (const v of Object.values(s[k] as Json)) schema(v);
    for (const k of SCHEMA_LISTS) if (Array.isArray(s[k])) (s[k] as unknown[]).forEach(schema);
    for (const k of SCHEMA_SINGLE) if (s[k] && typeof s[k] === 'object') schema(s[k]);
  };

  const firstExample = (holder: Json) => {
    if (holder.example === undefined && holder.examples && typeof holder.examples === 'object') {
      const first = Object.values(holder.examples as Json)[0] as Json | undefined;
      if (first && 'value' in first) holder.example = first.value;
    }
    // Dredd's parser warns on both; the named examples add nothing it uses.
    if (holder.example !== undefined) delete holder.examples;
  };
  const content = (c: unknown) => {
    if (!c || typeof c !== 'object') return;
    for (const media of Object.values(c as Json) as Json[]) {
      schema(media.schema);
      firstExample(media);
    }
  };
  const parameter = (p: Json) => {
    schema(p.schema);
    firstExample(p);
    const ps = p.schema as Json | undefined;
    if (p.example === undefined && p.examples === undefined && ps) {
      p.example = ps.default ?? (Array.isArray(ps.enum) ? ps.enum[0] : undefined) ?? ps.example ?? sample(ps as never, { quiet: true }, doc as never);
      note('parameter example added');
    }
    content(p.content);
  };
  const response = (r: Json) => {
    content(r.content);
    for (const h of Object.values((r.headers as Json) ?? {}) as Json[]) schema(h.schema);
  };

  const components = (doc.components ?? {}) as Json;
  for (const s of Object.values((components.schemas as Json) ?? {})) schema(s);
  for (const p of Object.values((components.parameters as Json) ?? {}) as Json[]) parameter(p);
  for (const r of Object.values((components.responses as Json) ?? {}) as Json[]) response(r);
  for (const b of Object.values((components.requestBodies as Json) ?? {}) as Json[]) content(b.content);
  for (const h of Object.values((components.headers as Json) ?? {}) as Json[]) schema(h.schema);
  delete components.pathItems;
  for (const item of Object.values((doc.paths as Json) ?? {}) as Json[]) {
    for (const p of (item.parameters as Json[] | undefined) ?? []) parameter(p);
    for (const [method, op] of Object.entries(item) as Array<[string, Json]>) {
      if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(method)) continue;
      for (const p of (op.parameters as Json[] | undefined) ?? []) parameter(p);
      if (op.requestBody) content((op.requestBody as Json).content);
      for (const r of Object.values((op.responses as Json) ?? {}) as Json[]) response(r);
    }
  }
  return { document: doc, lossy };
}

/** The document with only the named operations (by operationId) left under `paths`. */
export function onlyOperations(doc: Json, operationIds: ReadonlySet<string>): Json {
  const out = structuredClone(doc);
  const paths: Json = {};
  for (const [p, item] of Object.entries((out.paths as Json) ?? {}) as Array<[string, Json]>) {
    const kept: Json = {};
    for (const [k, v] of Object.entries(item)) {
      const isOp = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(k);
      if (!isOp || operationIds.has((v as Json).operationId as string)) kept[k] = v;
    }
    if (Object.keys(kept).some((k) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(k))) paths[p] = kept;
  }
  out.paths = paths;
  return out;
}

/** Drops the components no remaining operation references (transitively); security schemes stay. */
export function pruneComponents(doc: Json): Json {
  const components = (doc.components ?? {}) as Record<string, Json>;
  const keep = new Set<string>();
  const queue: unknown[] = [doc.paths];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/')) {
        const [, , section, name] = v.split('/');
        const key = `${section}/${name}`;
        if (!keep.has(key)) {
          keep.add(key);
          queue.push(components[section!]?.[decodeURIComponent(name!).replace(/~1/g, '/').replace(/~0/g, '~')]);
        }
      } else visit(v);
    }
  };
  while (queue.length > 0) visit(queue.shift());
  const out: Record<string, Json> = {};
  for (const [section, entries] of Object.entries(components)) {
    if (section === 'securitySchemes') {
      out[section] = entries;
      continue;
    }
    const kept = Object.fromEntries(Object.entries(entries ?? {}).filter(([name]) => keep.has(`${section}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`) || keep.has(`${section}/${name}`)));
    if (Object.keys(kept).length > 0) out[section] = kept;
  }
  return { ...doc, components: out };
}
