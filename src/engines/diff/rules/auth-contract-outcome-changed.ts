import { operationRule, show } from '../rule-kit.ts';

/**
 * Any change of the expected outcome (status, challenge, …) for a credential class: clients that handle today's answer break.
 * Compared on the effective `x-auth-contract` (document default deep-merged with the operation's
 * override), leaf by leaf, so the extension's exact shape does not matter.
 */
export const rule = operationRule({
  id: 'auth-contract-outcome-changed',
  title: 'auth contract outcome changed',
  severity: 'breaking',
  check(p) {
    const keys = new Set([...p.old.authContract.keys(), ...p.new.authContract.keys()]);
    return [...keys]
      .filter((k) => p.old.authContract.has(k) && p.new.authContract.has(k) && JSON.stringify(p.old.authContract.get(k)!.value) !== JSON.stringify(p.new.authContract.get(k)!.value))
      .map((k) => ({ message: `x-auth-contract ${k}: ${show(p.old.authContract.get(k)!.value)} → ${show(p.new.authContract.get(k)!.value)}`, oldPointer: p.old.authContract.get(k)?.pointer, newPointer: p.new.authContract.get(k)?.pointer }));
  },
});
