import fs from 'node:fs';
import { Source, type Oas3Rule } from '@redocly/openapi-core';
import { linksInto, unproducedPathParameters } from '../../../core/contract/links.ts';
import type { Contract } from '../../../core/contract/model.ts';

/**
 * Every path parameter must have a producer: an operation whose answer yields its value, through a
 * written OpenAPI `link` or one inferred from names and schemas (core/contract/links.ts). Without
 * one, a runner against a server whose data it has never seen can only send the example value and
 * guess. A parameter the caller must know beforehand says so with `x-no-producer: <reason>`.
 *
 * The rule judges the whole contract (links cross files and operations), so it reads the loaded
 * contract of the linted root document rather than walking one file.
 */
export function pathParameterProducer(contractFor: (rootFile: string) => Contract | undefined): Oas3Rule {
  return () => ({
    Root: {
      leave(_root, { report, location }) {
        const contract = contractFor(location.source.absoluteRef);
        if (!contract) return;
        for (const op of contract.operations) {
          for (const p of op.parameters) {
            if (p.noProducer === undefined || p.noProducer.trim() !== '') continue;
            report({ message: '`x-no-producer` must give the reason no operation yields this value.', location: at(contract, `${p.pointer}/x-no-producer`) });
          }
          const written = linksInto(contract, op).filter((l) => l.origin === 'written');
          for (const link of written) {
            const names = new Set(op.parameters.map((p) => p.name));
            for (const lp of link.parameters) {
              if (!names.has(lp.name)) report({ message: `Link '${link.name}' sets '${lp.name}', which operation '${op.id}' does not take.`, location: at(contract, link.pointer) });
            }
          }
        }
        for (const { operation, parameter } of unproducedPathParameters(contract)) {
          report({
            message: `Path parameter '${parameter.name}' of ${operation.method.toUpperCase()} ${operation.path} has no producer: write a \`links\` entry on the response that yields it, or say why none exists with \`x-no-producer\`.`,
            location: at(contract, parameter.pointer),
          });
        }
      },
    },
  });
}

function at(contract: Contract, bundledPointer: string) {
  const loc = contract.sourceMap.locate(bundledPointer);
  return { source: new Source(loc.file, fs.readFileSync(loc.file, 'utf8')), pointer: loc.pointer, reportOnKey: true };
}
