import type { Contract, JsonObject, OperationModel } from '../../src/core/contract/model.ts';

/** The id under which a contract's components are registered as one shared fastify schema. */
export const COMPONENTS_ID = 'urn:contract:components';

/** Rewrites the bundle's local `$ref`s (`#/components/...`) to point into the shared schema. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${COMPONENTS_ID}${v}` : rewriteRefs(v);
  }
  return out;
}

/** The contract's components as one schema resource, so route schemas can reference them. */
export function componentsSchema(contract: Contract): JsonObject {
  const components = (contract.document.components ?? {}) as JsonObject;
  return { $id: COMPONENTS_ID, components: rewriteRefs({ schemas: components.schemas ?? {} }) };
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * fastify route schemas compiled from the operation: path parameters, query string and the JSON
 * (or form) body. fastify's ajv validates and coerces query and path values from them.
 */
export function routeSchema(op: OperationModel): JsonObject {
  const schema: JsonObject = {};
  for (const where of ['path', 'query'] as const) {
    const params = op.parameters.filter((p) => p.in === where && p.schema);
    if (params.length === 0) continue;
    schema[where === 'path' ? 'params' : 'querystring'] = {
      type: 'object',
      properties: Object.fromEntries(params.map((p) => [p.name, rewriteRefs(p.schema)])),
      required: params.filter((p) => p.required).map((p) => p.name),
    };
  }
  const media = op.requestBody?.content.find((c) => /json/i.test(c.mediaType) || c.mediaType === FORM);
  if (media?.schema) {
    // An optional body may be absent; fastify validates only bodies that were sent then.
    schema.body = rewriteRefs(media.schema);
  }
  return schema;
}
