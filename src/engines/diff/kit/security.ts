import { isSecuredBy } from '../../../core/auth/index.ts';
import type { JsonObject } from '../../../core/contract/model.ts';
import type { OperationPair, Slot } from '../types.ts';
import { show, type Aspect } from './define.ts';
import { perOperation } from './aspects.ts';

export type Alternative = Record<string, string[]>;

/** No credential needed (the core's rule: no security at all, or an empty alternative). */
export function isAnonymous(security: Alternative[]): boolean {
  return !isSecuredBy(security.map((alt) => Object.keys(alt)));
}

export function describeAlt(alt: Alternative): string {
  const parts = Object.entries(alt).map(([name, scopes]) => (scopes.length ? `${name}[${scopes.join(' ')}]` : name));
  return parts.length ? parts.join(' + ') : '(none)';
}

export const describeSecurity = (security: Alternative[]) => security.map(describeAlt).join(' or ');

/** True when a credential satisfying `have` also satisfies `need`. */
function satisfies(have: Alternative, need: Alternative): boolean {
  return Object.entries(need).every(([name, scopes]) => name in have && scopes.every((s) => have[name]!.includes(s)));
}

const schemesOf = (alt: Alternative) => Object.keys(alt).sort().join();

/** Both sides want a credential (a change from or to anonymous access is judged on its own). */
const bothSecured = (p: OperationPair) => !isAnonymous(p.old.security) && !isAnonymous(p.new.security);

/**
 * Credentials accepted before and not now, each with the new alternative of the same schemes when
 * there is one (then only scopes were added).
 */
function lostAlternatives(p: OperationPair): Array<{ alt: Alternative; sameSchemes?: Alternative }> {
  if (!bothSecured(p)) return [];
  return p.old.security
    .filter((alt) => !p.new.security.some((n) => satisfies(alt, n)))
    .map((alt) => ({ alt, sameSchemes: p.new.security.find((n) => schemesOf(n) === schemesOf(alt)) }));
}

/** New alternatives that are not a tightening of an old one (same schemes, or more schemes required together). */
function gainedAlternatives(p: OperationPair): Alternative[] {
  if (!bothSecured(p)) return [];
  const before = new Set(p.old.security.map((alt) => JSON.stringify(Object.entries(alt).sort())));
  return p.new.security.filter((alt) => !before.has(JSON.stringify(Object.entries(alt).sort())) && !p.old.security.some((o) => satisfies(alt, o) || schemesOf(o) === schemesOf(alt)));
}

/** The effective security of each operation, as one slot. */
export const security: Aspect<Alternative[]> = perOperation((p) => [
  { key: 'security', label: 'security', old: { value: p.old.security, pointer: p.old.securityPointer }, new: { value: p.new.security, pointer: p.new.securityPointer }, oldAt: p.old.pointer, newAt: p.new.pointer, operations: [] },
]);

/**
 * Credentials (security alternatives) of operations that want one on both sides: one accepted before
 * and not now is `removed`, or `changed` when the same schemes now need more scopes; one accepted
 * now that loosens the operation is `added`.
 */
export const credentials = perOperation((p): Slot<Alternative, Alternative[]>[] => {
  const at = { oldAt: p.old.securityPointer, newAt: p.new.securityPointer, operations: [], holder: { old: p.old.security, new: p.new.security } };
  return [
    ...lostAlternatives(p).map(({ alt, sameSchemes }) => ({
      ...at,
      key: describeAlt(alt),
      label: `credential ${describeAlt(alt)}`,
      old: { value: alt, pointer: p.old.securityPointer },
      new: sameSchemes && { value: sameSchemes, pointer: p.new.securityPointer },
    })),
    ...gainedAlternatives(p).map((alt) => ({ ...at, key: describeAlt(alt), label: `credential ${describeAlt(alt)}`, new: { value: alt, pointer: p.new.securityPointer } })),
  ];
});

const SCHEME_FIELDS = ['type', 'in', 'name', 'scheme', 'bearerFormat', 'openIdConnectUrl', 'x-scheme-prefix', 'x-token-pattern'];

/** How a security scheme's credential is sent, field by field (`x-scheme-prefix "Token " → "Bearer "`); OAuth flows as a whole. */
export function schemeChanges(slot: Slot<JsonObject>): string[] {
  const a = slot.old?.value ?? {};
  const b = slot.new?.value ?? {};
  const out = SCHEME_FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f])).map((f) => `${f} ${show(a[f])} → ${show(b[f])}`);
  if (JSON.stringify(a.flows) !== JSON.stringify(b.flows)) out.push('OAuth flows changed');
  return out;
}
