import { essence, isJsonMediaType, mediaTypeMatches } from '../match.ts';
import type { Check } from '../types.ts';

/** The body's Content-Type is one the response declares, and a JSON body really parses. */
export const contentType: Check = {
  id: 'content-type',
  title: 'Response media type is declared and the body parses',
  run({ response, declared }) {
    if (!declared) return { skip: 'status not declared' };
    if (declared.content.length === 0) return { skip: 'response declares no body' };
    const actual = response.headers['content-type'];
    const location = declared.source;
    if (!actual) {
      if (response.text.length === 0) return { findings: [{ message: 'response has no body and no Content-Type, but the contract declares a body', location }] };
      return { findings: [{ message: 'response has a body but no Content-Type header', location }] };
    }
    const match = declared.content.find((c) => mediaTypeMatches(c.mediaType, actual));
    if (!match) {
      const listed = declared.content.map((c) => c.mediaType).join(', ');
      return { findings: [{ message: `Content-Type '${essence(actual)}' is not declared (declared: ${listed})`, location }] };
    }
    if (isJsonMediaType(actual)) {
      try {
        JSON.parse(response.text);
      } catch (err) {
        return { findings: [{ message: `body is not valid JSON (${(err as Error).message})`, location }] };
      }
    }
    return { findings: [] };
  },
};
