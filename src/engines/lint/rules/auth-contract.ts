import fs from 'node:fs';
import path from 'node:path';
import type { Oas3Rule } from '@redocly/openapi-core';
import { CREDENTIAL_CLASSES } from '../../../core/contract/model.ts';
import { packageRoot } from '../../../core/paths.ts';
import { createAjv } from '../../../core/validate/cache.ts';

const KEY = 'x-auth-contract';
const SCHEMA_FILE = path.join(packageRoot, 'specs/extensions/x-auth-contract.schema.json');

let validateShape: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined;
function shapeValidator() {
  validateShape ??= createAjv().compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
  return validateShape;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every secured operation states its auth behaviour: `x-auth-contract` (document defaults merged
 * with the operation's overrides) must have the documented shape (specs/extensions/
 * x-auth-contract.schema.json), cover every credential class, and expect only statuses the
 * operation declares.
 */
export const authContract: Oas3Rule = () => {
  let docContract: Obj | undefined;
  let docSecurity: unknown;
  const checkShape = (value: unknown, report: (m: string) => void) => {
    const validate = shapeValidator();
    if (!validate(value)) {
      for (const e of validate.errors ?? []) report(`\`${KEY}\`${e.instancePath} ${e.message ?? 'is invalid'}`);
      return false;
    }
    return true;
  };
  return {
    Root: {
      enter(root, { report, location }) {
        const r = root as unknown as Obj;
        docSecurity = r.security;
        docContract = isObj(r[KEY]) ? (r[KEY] as Obj) : undefined;
        if (r[KEY] !== undefined) checkShape(r[KEY], (message) => report({ message, location: location.child([KEY]) }));
      },
    },
    Operation(operation, { report, location }) {
      const op = operation as unknown as Obj;
      const own = op[KEY];
      if (own !== undefined && !checkShape(own, (message) => report({ message, location: location.child([KEY]) }))) return;
      const security = (op.security ?? docSecurity) as unknown;
      const secured = Array.isArray(security) && security.length > 0 && !security.some((alt) => isObj(alt) && Object.keys(alt).length === 0);
      if (!secured) return;
      const merged: Obj = { ...(isObj(docContract?.classes) ? docContract.classes : {}), ...(isObj(own) && isObj(own.classes) ? own.classes : {}) };
      const missing = CREDENTIAL_CLASSES.filter((c) => !(c in merged));
      if (missing.length > 0) {
        report({
          message: `Secured operation has no \`${KEY}\` outcome for: ${missing.join(', ')} (set them on the document or the operation).`,
          location: own !== undefined ? location.child([KEY]) : location.key(),
        });
      }
      const declared = Object.keys((op.responses ?? {}) as Obj);
      for (const [cls, expectation] of Object.entries(merged)) {
        if (!isObj(expectation) || expectation.applies === false) continue;
        const statuses = Array.isArray(expectation.status) ? expectation.status : [expectation.status];
        for (const status of statuses.map(String)) {
          if (/^[1-5]XX$/.test(status) || isDeclared(status, declared)) continue;
          const fromOp = isObj(own) && isObj(own.classes) && cls in own.classes;
          report({
            message: `\`${KEY}\` expects ${status} for '${cls}', but the operation declares no such response.`,
            location: fromOp ? location.child([KEY, 'classes', cls, 'status']) : location.child(['responses']).key(),
          });
        }
      }
    },
  };
};

function isDeclared(status: string, declared: string[]): boolean {
  return declared.includes(status) || declared.includes(`${status[0]}XX`) || declared.includes('default');
}
