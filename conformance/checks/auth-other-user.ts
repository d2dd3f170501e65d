import type { Check, CheckContext, Finding, ObservedResponse } from '../types.ts';
import { judgeClassOutcome } from './auth-class.ts';

/**
 * Object-level authorization (OWASP API1, BOLA/IDOR): a valid credential of another ordinary user,
 * sent for an object that belongs to someone else (conformance/other-user.ts plans these cases),
 * gets the `other-user` outcome of the operation's `x-auth-contract` — and, where the contract says
 * `sameAsMissing: true`, the same status and body shape as an id that does not exist, so the answer
 * does not tell which ids exist. Every finding names the object and both credentials (by name).
 */
export const authOtherUser: Check<'auth-other-user'> = {
  id: 'auth-other-user',
  title: "Another user's credential gets the outcome x-auth-contract states for someone else's object",
  appliesTo: { kinds: ['auth'], credentialClass: 'other-user', needsAuthContract: true, request: 'planned' },
  run(ctx: CheckContext) {
    const expectation = ctx.operation.authContract?.classes['other-user'];
    if (!expectation) return { skip: 'the operation states no outcome for another user' };
    if (!expectation.applies) return { skip: expectation.reason ?? 'does not apply to this API' };
    const probe = ctx.requestCase.otherUser;
    const subject = probe ? `'${probe.other}' asked for ${probe.parameter}=${probe.objectId} of '${probe.owner}'` : 'another user asked for this object';
    const findings: Finding[] = judgeClassOutcome('other-user', expectation, ctx).map((f) => ({ ...f, message: `${subject}: ${f.message}` }));
    const missing = probe?.missing;
    if (expectation.sameAsMissing === true && missing) {
      const difference = differs(ctx.response, missing.response);
      if (difference) {
        findings.push({
          message: `${subject}: existence leaks — the foreign object answered ${difference.foreign}, an id that does not exist (${probe.parameter}=${missing.objectId}) answered ${difference.missing}; the contract says they look the same (sameAsMissing)`,
          location: ctx.contract.sourceMap.locate(`${expectation.pointer}/sameAsMissing`),
        });
      }
    }
    return { findings };
  },
};

/** How two answers differ in status or body shape (field names and JSON types, not values), or undefined. */
function differs(foreign: ObservedResponse, missing: ObservedResponse): { foreign: string; missing: string } | undefined {
  if (foreign.status !== missing.status) return { foreign: String(foreign.status), missing: String(missing.status) };
  const a = shape(foreign.text);
  const b = shape(missing.text);
  return a === b ? undefined : { foreign: `${foreign.status} with a body shaped ${a}`, missing: `${missing.status} with a body shaped ${b}` };
}

/** The body's shape: keys and JSON types, recursively (`{msg:string}`); messages that quote the id still compare equal. */
export function shape(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim() === '' ? 'empty' : 'text';
  }
  const of = (v: unknown): string => {
    if (v === null) return 'null';
    if (Array.isArray(v)) return `[${v.length > 0 ? of(v[0]) : ''}]`;
    if (typeof v === 'object') return `{${Object.keys(v as object).sort().map((k) => `${k}:${of((v as Record<string, unknown>)[k])}`).join(',')}}`;
    return typeof v;
  };
  return of(body);
}
