import type { Oas3Rule } from '@redocly/openapi-core';

const KEY = 'x-doc-notes';

/**
 * `x-doc-notes` records where the vendor docs are silent or contradictory and what the contract
 * chose. Renderers and reviewers read it as a list of sentences, so it must be a list of non-empty
 * strings wherever it appears.
 */
export const docNotesShape: Oas3Rule = () => ({
  any: {
    enter(node, { report, location }) {
      if (!node || typeof node !== 'object' || !(KEY in node)) return;
      const notes = (node as Record<string, unknown>)[KEY];
      const ok = Array.isArray(notes) && notes.length > 0 &&
        notes.every((n) => typeof n === 'string' && n.trim().length > 0);
      if (!ok) {
        report({ message: '`x-doc-notes` must be a non-empty list of non-empty strings.', location: location.child([KEY]) });
      }
    },
  },
});
