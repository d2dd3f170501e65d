import type { operations } from '../../generated/defender-cloud-apps.ts';
import type { Handlers } from '../kit/types.ts';
import { newObjectId } from './ids.ts';
import { NOT_FOUND, type CloudAppsState } from './state.ts';

/** The module's `permission_type` enumeration, in its order (cast to an integer when it posts). */
const PERMISSION_TYPES = ['FULL_ACCESS', 'READ_ONLY'] as const;

/** Portal admin access: listed, granted once per user (a second grant is a 400), removed by `objectId`. */
export function adminAccessHandlers(state: CloudAppsState): Handlers<operations> {
  return {
    listAdminAccess: () => ({ status: 200, body: { data: state.adminAccess, total: state.adminAccess.length, hasNext: false } }),
    addAdminAccess: ({ body }) => {
      const username = body.username.trim();
      if (state.adminAccess.some((a) => a.username.toLowerCase() === username.toLowerCase())) {
        return { status: 400, body: { detail: `${username} already has admin access.` } };
      }
      const entry = { objectId: newObjectId(), username, permission_type: PERMISSION_TYPES[body.permissionType] };
      state.adminAccess.push(entry);
      return { status: 200, body: entry };
    },
    removeAdminAccess: ({ params }) => {
      const i = state.adminAccess.findIndex((a) => a.objectId === params.objectId);
      if (i < 0) return { status: 404, body: NOT_FOUND };
      state.adminAccess.splice(i, 1);
      return { status: 200, body: {} };
    },
  };
}
