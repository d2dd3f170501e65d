import { isJsonMediaType, mediaTypeMatches } from '../../src/core/contract/responses.ts';
import { locateViolation } from '../schema-location.ts';
import type { Check } from '../types.ts';

/** The JSON body validates against the declared response schema (ajv, 2020-12, compiled once). */
export const responseSchema: Check<'response-schema'> = {
  id: 'response-schema',
  title: 'Response body matches the declared schema',
  appliesTo: { kinds: ['positive', 'negative', 'no-credentials', 'auth', 'read-back', 'gone'], request: 'any' },
  run({ contract, response, declared, validators }) {
    if (!declared) return { skip: 'status not declared' };
    const actual = response.headers['content-type'] ?? '';
    const media = declared.content.find((c) => mediaTypeMatches(c.mediaType, actual));
    if (!media) return { skip: 'no declared media type matches the response' };
    const schemaPointer = media.schemaPointer;
    if (!schemaPointer) return { skip: `no schema declared for ${media.mediaType}` };
    if (!isJsonMediaType(actual)) return { skip: `${media.mediaType} bodies are not schema-validated` };
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      return { skip: 'body is not JSON (reported by content-type)' };
    }
    const violations = validators.validate(contract, schemaPointer, body);
    return {
      findings: violations.map((v) => ({
        message: `body ${v.instancePath || '/'} ${v.message} (got ${v.value})`,
        bodyPointer: v.instancePath,
        // The keyword that failed, inside the response schema (or a schema it refers to).
        location: locateViolation(contract, schemaPointer, v),
      })),
    };
  },
};
