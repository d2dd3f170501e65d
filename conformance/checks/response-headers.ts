import { escapePointerFragment, getByPointer, resolveLocal } from '../../src/core/contract/pointer.ts';
import { locateViolation } from '../schema-location.ts';
import type { Check, Finding } from '../types.ts';

/**
 * Headers the response declares as required are present, and every declared header's value is valid.
 * It judges answers to valid requests (sent or recorded): the contracts declare headers on success and
 * rate-limit answers, and auth refusals have their header (WWW-Authenticate) judged by the auth checks,
 * so judging every refusal too would only add a skipped result per case.
 */
export const responseHeaders: Check<'response-headers'> = {
  id: 'response-headers',
  title: 'Declared response headers are present and valid',
  appliesTo: { kinds: ['positive'], request: 'any' },
  run({ contract, response, declared, validators }) {
    if (!declared) return { skip: 'status not declared' };
    if (declared.headers.length === 0) return { skip: 'response declares no headers' };
    const findings: Finding[] = [];
    for (const header of declared.headers) {
      // The header's own declaration (a shared header's place when the response refers to one).
      const at = `${declared.pointer}/headers/${escapePointerFragment(header.name)}`;
      const location = contract.sourceMap.locate(resolveLocal(contract.document, getByPointer(contract.document, at), at).pointer);
      const value = response.headers[header.name.toLowerCase()];
      if (value === undefined) {
        if (header.required) findings.push({ message: `required header '${header.name}' is missing`, location });
        continue;
      }
      if (!header.schemaPointer) continue;
      const parsed = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      let violations = validators.validate(contract, header.schemaPointer, parsed);
      // A numeric-looking value may be meant as text (e.g. a version "1"); accept either reading.
      if (violations.length > 0 && parsed !== value) violations = validators.validate(contract, header.schemaPointer, value);
      const schemaPointer = header.schemaPointer;
      for (const v of violations) findings.push({ message: `header '${header.name}' ${v.message} (got ${v.value})`, location: locateViolation(contract, schemaPointer, v) });
    }
    return { findings };
  },
};
