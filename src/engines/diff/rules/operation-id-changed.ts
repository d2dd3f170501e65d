import { operationRule } from '../rule-kit.ts';

/** Generated clients name methods after the operationId; the wire does not change. */
export const rule = operationRule({
  id: 'operation-id-changed',
  title: 'operationId changed',
  severity: 'info',
  check(p) {
    const a = p.old.operationId;
    const b = p.new.operationId;
    if (a === b || a === undefined || b === undefined) return undefined;
    return { message: `operationId changed from ${a} to ${b}`, oldPointer: `${p.old.pointer}/operationId`, newPointer: `${p.new.pointer}/operationId` };
  },
});
