import { isDeepStrictEqual } from 'node:util';
import type { ClassExpectation, CredentialClass } from '../../src/core/contract/model.ts';
import { locateViolation } from '../schema-location.ts';
import type { Check, CheckContext, Finding, RefusedClass } from '../types.ts';

/** True when `status` is one of the expected codes or ranges (`401`, `4XX`). */
export function statusMatches(status: number, expected: string[]): boolean {
  return expected.some((e) => e === String(status) || (/^[1-5]XX$/.test(e) && e[0] === String(status)[0]));
}

function describeMismatch(cls: CredentialClass, status: number, expected: string[]): string {
  const want = expected.join(' or ');
  const article = /^[aeiou]/.test(cls) ? 'an' : 'a';
  if (status >= 200 && status < 300) return `${article} ${cls} credential was accepted (${status}); the contract requires ${want}`;
  if (status === 403 && expected.includes('401')) return `answered 403 where 401 is due: a credential that is not valid was reported as lacking permission`;
  if (status === 401 && expected.includes('403')) return `answered 401 where 403 is due: a valid credential that lacks permission was reported as not authenticated`;
  return `answered ${status}; the contract requires ${want}`;
}

/**
 * The check for one credential class: the answer has the status, body and WWW-Authenticate
 * header that the operation's effective `x-auth-contract` states for that class. Every class has
 * the same logic, so one factory builds the nine checks, each with its own stable id.
 */
export function authClassCheck<C extends RefusedClass>(cls: C): Check<`auth-${C}`> {
  return {
    id: `auth-${cls}`,
    title: `A ${cls} credential gets the outcome x-auth-contract states`,
    // A recording shows some classes too (no credential, a wrong scheme word, a malformed token).
    appliesTo: { kinds: ['auth'], credentialClass: cls, needsAuthContract: true, request: 'any' },
    run(ctx: CheckContext) {
      const expectation = ctx.operation.authContract?.classes[cls];
      if (!expectation) return { skip: 'the operation states no outcome for this class' };
      if (!expectation.applies) return { skip: expectation.reason ?? 'does not apply to this API' };
      return { findings: judgeClassOutcome(cls, expectation, ctx) };
    },
  };
}

/** The findings of one answer against a class entry: status, then exact body, body schema and WWW-Authenticate. */
export function judgeClassOutcome(cls: CredentialClass, e: ClassExpectation, { contract, response, validators }: Pick<CheckContext, 'contract' | 'response' | 'validators'>): Finding[] {
  const findings: Finding[] = [];
  // Each finding points at the part of the class entry it is about (the entry itself when the part is inferred).
  const at = (key: string) => contract.sourceMap.locate(`${e.pointer}/${key}`);
  if (!statusMatches(response.status, e.statuses)) {
    findings.push({ message: describeMismatch(cls, response.status, e.statuses), location: at('status') });
    return findings; // body and header expectations belong to the expected status
  }
  let body: unknown;
  let parsed = false;
  try {
    body = JSON.parse(response.text);
    parsed = true;
  } catch {
    /* compared below only when an expectation needs the body */
  }
  if (e.hasBody && (!parsed || !isDeepStrictEqual(body, e.body))) {
    findings.push({ message: `body is ${parsed ? JSON.stringify(body) : 'not JSON'}; the contract states ${JSON.stringify(e.body)}`, location: at('body') });
  }
  const schemaPointer = e.bodySchemaPointer;
  if (schemaPointer) {
    for (const v of parsed ? validators.validate(contract, schemaPointer, body) : []) {
      findings.push({ message: `body ${v.instancePath || '/'} ${v.message} (got ${v.value})`, bodyPointer: v.instancePath, location: locateViolation(contract, schemaPointer, v) });
    }
  }
  const www = response.headers['www-authenticate'];
  if (e.wwwAuthenticate === 'required' && www === undefined) findings.push({ message: 'WWW-Authenticate header is missing; the contract requires it', location: at('wwwAuthenticate') });
  if (e.wwwAuthenticate === 'forbidden' && www !== undefined) findings.push({ message: `WWW-Authenticate header is present (${www}); the contract forbids it`, location: at('wwwAuthenticate') });
  return findings;
}
