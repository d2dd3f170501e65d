import fs from 'node:fs';
import { Source, type Oas3Rule } from '@redocly/openapi-core';
import { isSecured } from '../../../core/auth/index.ts';
import type { Contract } from '../../../core/contract/model.ts';
import { getByPointer, isObject } from '../../../core/contract/pointer.ts';

/**
 * Object-level authorization is part of the contract: an operation whose path parameter names an
 * object that belongs to one user (`x-owned-by: {object: device_id}`) or the user who owns what the
 * route reaches (`x-owned-by: {owner: username}`) must state what another ordinary user gets there —
 * the `other-user` outcome of its effective `x-auth-contract` (its own or the document's). Without
 * it, "can Bob read Alice's device?" has no answer a runner could test.
 *
 * Also reported: an `x-owned-by` that is not one `owner`/`object` key naming a path parameter of the
 * operation, and one on an operation that takes no credential (nothing to tell users apart by).
 *
 * The rule reads the loaded contract (effective auth contracts are merged across the document and
 * the operation), like `path-parameter-producer`.
 */
export function ownedObjectOutcome(contractFor: (rootFile: string) => Contract | undefined): Oas3Rule {
  return () => ({
    Root: {
      leave(_root, { report, location }) {
        const contract = contractFor(location.source.absoluteRef);
        if (!contract) return;
        for (const op of contract.operations) {
          const node = getByPointer(contract.document, op.pointer);
          const raw = isObject(node) ? node['x-owned-by'] : undefined;
          if (raw === undefined) continue;
          const where = at(contract, `${op.pointer}/x-owned-by`);
          const name = `${op.method.toUpperCase()} ${op.path}`;
          if (!op.ownedBy) {
            report({ message: '`x-owned-by` must be `{owner: <path parameter>}` (the owning user) or `{object: <path parameter>}` (an object of one user).', location: where });
            continue;
          }
          if (!op.parameters.some((p) => p.in === 'path' && p.name === op.ownedBy!.parameter)) {
            report({ message: `\`x-owned-by\` names '${op.ownedBy.parameter}', which is not a path parameter of ${name}.`, location: where });
            continue;
          }
          if (!isSecured(op)) {
            report({ message: `${name} takes no credential, so no object of it can belong to one user: remove \`x-owned-by\`.`, location: where });
            continue;
          }
          const entry = op.authContract?.classes['other-user'];
          if (!entry || !entry.applies) {
            report({
              message: `${name} reaches an object owned by one user ('${op.ownedBy.parameter}') but states no \`other-user\` outcome: say in \`x-auth-contract.classes.other-user\` what another ordinary user gets (status, body, \`sameAsMissing\`).`,
              location: entry ? at(contract, entry.pointer) : where,
            });
          }
        }
      },
    },
  });
}

function at(contract: Contract, bundledPointer: string) {
  const loc = contract.sourceMap.locate(bundledPointer);
  return { source: new Source(loc.file, fs.readFileSync(loc.file, 'utf8')), pointer: loc.pointer, reportOnKey: true };
}
