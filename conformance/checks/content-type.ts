import { escapePointerFragment } from '../../src/core/contract/pointer.ts';
import { essence, isJsonMediaType, mediaTypeMatches } from '../../src/core/contract/responses.ts';
import type { SourceLocation } from '../../src/core/contract/location.ts';
import type { Check, CheckOutcome } from '../types.ts';

/** The body's Content-Type is one the response declares, and a JSON body really parses. */
export const contentType: Check<'content-type'> = {
  id: 'content-type',
  title: 'Response media type is declared and the body parses',
  appliesTo: { kinds: ['positive', 'negative', 'no-credentials', 'auth', 'read-back', 'gone'], request: 'any' },
  run({ contract, response, declared }) {
    if (!declared) return { skip: 'status not declared' };
    if (declared.content.length === 0) return { skip: 'response declares no body' };
    const actual = response.headers['content-type'];
    const location = contract.sourceMap.locate(`${declared.pointer}/content`);
    if (!actual) {
      if (response.text.length === 0) return { findings: [{ message: 'response has no body and no Content-Type, but the contract declares a body', location }] };
      return { findings: [{ message: 'response has a body but no Content-Type header', location }] };
    }
    const match = declared.content.find((c) => mediaTypeMatches(c.mediaType, actual));
    if (!match) {
      const listed = declared.content.map((c) => c.mediaType).join(', ');
      return { findings: [{ message: `Content-Type '${essence(actual)}' is not declared (declared: ${listed})`, location }] };
    }
    // A body that does not parse breaks the declared media type it claims.
    const media = contract.sourceMap.locate(`${declared.pointer}/content/${escapePointerFragment(match.mediaType)}`);
    if (essence(actual) === 'text/event-stream') return eventStream(response.text, media);
    if (isJsonMediaType(actual)) {
      try {
        JSON.parse(response.text);
      } catch (err) {
        return { findings: [{ message: `body is not valid JSON (${(err as Error).message})`, location: media }] };
      }
    }
    return { findings: [] };
  },
};

/** Fields an event stream may carry (WHATWG HTML §9.2.5); a line starting with ':' is a comment. */
const SSE_FIELDS = new Set(['event', 'data', 'id', 'retry']);

/**
 * A `text/event-stream` body is judged by its first events (a stream may never end, so only what
 * was received is read): every line is a known field, a comment or blank, and at least one event
 * is complete. With no complete event yet the check says so as a skip, never a silent pass.
 */
function eventStream(text: string, location: SourceLocation): CheckOutcome {
  const lines = text.split(/\r\n|\r|\n/);
  const complete = text.split(/\r\n\r\n|\n\n|\r\r/).length - 1;
  for (const [i, line] of lines.entries()) {
    if (line === '' || line.startsWith(':')) continue;
    const field = line.includes(':') ? line.slice(0, line.indexOf(':')) : line;
    if (!SSE_FIELDS.has(field)) return { findings: [{ message: `event stream line ${i + 1} has unknown field '${field.slice(0, 40)}'`, location }] };
    if (field === 'retry' && !/^retry: ?\d+$/.test(line)) return { findings: [{ message: `event stream line ${i + 1}: retry must be a number of milliseconds`, location }] };
  }
  if (complete === 0) return { skip: 'event stream: no complete event was received, so none could be validated' };
  return { findings: [] };
}
