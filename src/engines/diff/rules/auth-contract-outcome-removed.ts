import { operationRule, show } from '../rule-kit.ts';

/**
 * An outcome the contract promised for a credential class is no longer stated.
 * Compared on the effective `x-auth-contract` (document default deep-merged with the operation's
 * override), leaf by leaf, so the extension's exact shape does not matter.
 */
export const rule = operationRule({
  id: 'auth-contract-outcome-removed',
  title: 'auth contract outcome removed',
  severity: 'breaking',
  check(p) {
    const keys = new Set([...p.old.authContract.keys(), ...p.new.authContract.keys()]);
    return [...keys]
      .filter((k) => p.old.authContract.has(k) && !p.new.authContract.has(k))
      .map((k) => ({ message: `x-auth-contract ${k}: ${show(p.old.authContract.get(k)!.value)} no longer promised`, oldPointer: p.old.authContract.get(k)?.pointer, newPointer: p.new.authContract.get(k)?.pointer }));
  },
});
