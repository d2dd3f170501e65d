import { operationRule } from '../rule-kit.ts';

/** Clients still send it; the service now ignores (or rejects) it — treated as breaking. */
export const rule = operationRule({
  id: 'parameter-removed',
  title: 'parameter removed',
  severity: 'breaking',
  check(p) {
    return [...p.old.parameters]
      .filter(([key]) => !p.new.parameters.has(key))
      .map(([, o]) => ({ message: `${String(o.param.in)} parameter '${String(o.param.name)}' removed`, oldPointer: o.pointer, newPointer: undefined }));
  },
});
