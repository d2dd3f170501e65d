import type { Oas3Rule, UserContext } from '@redocly/openapi-core';
import { entryStatuses, isSecuredBy, mergeAuthContract, readSecurityRequirements } from '../../../core/auth/index.ts';
import { CREDENTIAL_CLASSES } from '../../../core/contract/model.ts';
import { authContractShapeProblems } from '../auth-contract-shape.ts';

const KEY = 'x-auth-contract';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every secured operation states its auth behaviour. `x-auth-contract` must have the documented shape
 * (specs/extensions/x-auth-contract.schema.json) and sit at the document root or on an operation
 * (never under `info`, where nothing reads it). The operation's effective contract — merged by the
 * core's one rule, as the runner, the mocks, docs and diff see it — must cover every credential
 * class and expect only statuses the operation declares.
 */
export const authContract: Oas3Rule = () => {
  let documentContract: unknown;
  let documentSecurity: unknown;
  return {
    Root: {
      enter(root, { report, location }) {
        const r = root as unknown as Obj;
        documentSecurity = r.security;
        documentContract = r[KEY];
        if (documentContract !== undefined) reportShape(documentContract, location, report);
        if (isObj(r.info) && r.info[KEY] !== undefined) {
          report({
            message: `\`${KEY}\` under \`info\` is not read: move it to the document root (beside \`paths\`), where it is the default of every secured operation.`,
            location: location.child(['info', KEY]).key(),
          });
        }
      },
    },
    Operation(operation, { report, location }) {
      const op = operation as unknown as Obj;
      const own = op[KEY];
      if (own !== undefined && !reportShape(own, location, report)) return;
      const secured = isSecuredBy(readSecurityRequirements(op.security ?? documentSecurity));
      const merged = mergeAuthContract(documentContract, own, secured);
      if (secured) {
        const missing = CREDENTIAL_CLASSES.filter((c) => !merged?.classes[c]);
        if (missing.length > 0) {
          report({
            message: `Secured operation has no \`${KEY}\` outcome for: ${missing.join(', ')} (set them on the document or the operation).`,
            location: own !== undefined ? location.child([KEY]) : location.key(),
          });
        }
      }
      const declared = Object.keys(isObj(op.responses) ? op.responses : {});
      for (const [cls, entry] of Object.entries(merged?.classes ?? {})) {
        if (entry.raw.applies === false) continue;
        // `other-user` is read only where an object belongs to one user (`x-owned-by`); elsewhere a
        // document default is not an answer the operation gives (owned-object-outcome judges the rest).
        if (cls === 'other-user' && op['x-owned-by'] === undefined) continue;
        for (const status of entryStatuses(entry.raw)) {
          if (/^[1-5]XX$/.test(status) || isDeclared(status, declared)) continue;
          report({
            message: `\`${KEY}\` expects ${status} for '${cls}'${entry.from === 'document' ? ' (the document default)' : ''}, but the operation declares no such response.`,
            location: entry.from === 'operation' ? location.child([KEY, 'classes', cls, 'status']) : location.child(['responses']).key(),
          });
        }
      }
    },
  };
};

/** Reports each shape problem of one `x-auth-contract` value at the node it is about; true when there is none. */
function reportShape(value: unknown, at: UserContext['location'], report: UserContext['report']): boolean {
  const problems = authContractShapeProblems(value);
  for (const p of problems) {
    const segments = p.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    report({ message: `\`${KEY}\`${p.path} ${p.message}`, location: at.child([KEY, ...segments]) });
  }
  return problems.length === 0;
}

function isDeclared(status: string, declared: string[]): boolean {
  return declared.includes(status) || declared.includes(`${status[0]}XX`) || declared.includes('default');
}
