import { operationRule } from '../rule-kit.ts';

/** A status clients handle is no longer declared (unless a new `4XX`-style range still covers it). */
export const rule = operationRule({
  id: 'response-status-removed',
  title: 'response status removed',
  severity: 'breaking',
  check(p) {
    const out = [];
    for (const [status, o] of p.old.responses) {
      if (p.new.responses.has(status) || p.new.responses.has(`${status[0]}XX`)) continue;
      out.push({ message: `response ${status} removed`, oldPointer: o.pointer, newPointer: undefined });
    }
    return out;
  },
});
