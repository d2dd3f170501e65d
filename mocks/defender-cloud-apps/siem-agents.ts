import { createHash, randomBytes } from 'node:crypto';
import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { NOT_FOUND, type CloudAppsState } from './state.ts';

/**
 * SIEM agents: the undocumented `GET /api/v1/agents/siem/` list and the portal route that issues an
 * agent a new token. Only a hash of the latest token is kept (like any credential store), so
 * generating again replaces it.
 */
export function siemAgentHandlers(state: CloudAppsState): Handlers<operations> {
  const tokenHashes = new Map<string, string>();
  return {
    listSiemAgents: () => ({ status: 200, body: { data: state.siemAgents, total: state.siemAgents.length, hasNext: false } }),
    generateSiemAgentToken: ({ params }) => {
      if (!state.siemAgents.some((a) => a._id === params.pk)) return { status: 404, body: NOT_FOUND };
      const token = randomBytes(48).toString('base64url');
      tokenHashes.set(params.pk, createHash('sha256').update(token).digest('hex'));
      return { status: 200, body: { token } };
    },
  };
}
