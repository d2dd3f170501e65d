import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authValid } from '../conformance/checks/auth-valid.ts';
import { buildStatefulMockFor } from '../mocks/registry.ts';
import { selectApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import type { Contract } from '../src/core/contract/model.ts';
import { projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

const load = async (api: string) => loadContract(selectApis(projectPaths(), [api])[0]!);

for (const api of ['defender-iot-sensor', 'defender-iot-management']) {
  describe(`${api}: local users and the password routes`, () => {
    let app: FastifyInstance;
    let contract: Contract;
    beforeAll(async () => {
      contract = await load(api);
      app = await buildStatefulMockFor(contract);
    });
    afterAll(() => app.close());

    /** Posts to a password route (no token: the body authenticates) and checks the answer against the contract. */
    async function post(operationId: string, payload: object) {
      const op = contract.operations.find((o) => o.id === operationId)!;
      const res = await app.inject({ method: 'POST', url: op.path, payload });
      const declared = op.responses.find((r) => r.status === String(res.statusCode));
      expect(declared, `${operationId} answered an undeclared ${res.statusCode}`).toBeDefined();
      expect(validators.validate(contract, declared!.content[0]!.schemaPointer!, res.json())).toEqual([]);
      return res;
    }

    it('checks credentials, changes a password, and the old one stops working', async () => {
      expect((await post('validateCredentials', { username: 'test', password: 'Test12345!' })).statusCode).toBe(200);
      expect((await post('validateCredentials', { username: 'test', password: 'wrong' })).statusCode).toBe(401);
      expect((await post('validateCredentials', { username: 'nobody', password: 'Test12345!' })).statusCode).toBe(401);
      const changed = await post('setPassword', { username: 'test', password: 'Test12345!', new_password: 'Fresh#Pass1' });
      expect(changed.json()).toEqual({ msg: 'Password has been replaced' });
      expect((await post('validateCredentials', { username: 'test', password: 'Test12345!' })).statusCode).toBe(401);
      expect((await post('validateCredentials', { username: 'test', password: 'Fresh#Pass1' })).statusCode).toBe(200);
    });

    it('refuses a wrong current password (401) and a weak new one (400), changing nothing', async () => {
      expect((await post('setPassword', { username: 'viewer', password: 'nope', new_password: 'Another#1' })).statusCode).toBe(401);
      const weak = await post('setPassword', { username: 'viewer', password: 'Viewer#2024', new_password: 'short' });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error.userDisplayErrorMessage).toBe('Password does not match security policy');
      expect((await post('validateCredentials', { username: 'viewer', password: 'Viewer#2024' })).statusCode).toBe(200);
    });

    it('lets an Admin replace another user password, and refuses non-admins (403), bad admin credentials (401) and unknown users (404)', async () => {
      const byAdmin = { admin_username: 'admin', admin_password: 'Test0987', username: 'viewer', new_password: 'Reset#2025' };
      expect((await post('setPasswordByAdmin', byAdmin)).statusCode).toBe(200);
      expect((await post('validateCredentials', { username: 'viewer', password: 'Reset#2025' })).statusCode).toBe(200);
      const notAdmin = await post('setPasswordByAdmin', { ...byAdmin, admin_username: 'viewer', admin_password: 'Reset#2025', username: 'admin' });
      expect(notAdmin.statusCode).toBe(403);
      expect((await post('setPasswordByAdmin', { ...byAdmin, admin_password: 'guess' })).statusCode).toBe(401);
      const unknown = await post('setPasswordByAdmin', { ...byAdmin, username: 'ghost' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.userDisplayErrorMessage).toBe("The user 'ghost' doesn't exist");
    });

    it('keeps only password digests in its state, and a seeded clear-text password works', async () => {
      const state = (await app.inject({ method: 'GET', url: '/__control/state' })).json();
      expect(JSON.stringify(state.users)).not.toContain('Test0987');
      const seeded = await buildStatefulMockFor(contract, { seed: { users: [{ username: 'ops', role: 'Admin', password: 'Ops#Pass99' }] } });
      const op = contract.operations.find((o) => o.id === 'validateCredentials')!;
      expect((await seeded.inject({ method: 'POST', url: op.path, payload: { username: 'ops', password: 'Ops#Pass99' } })).statusCode).toBe(200);
      await seeded.close();
    });
  });
}

describe('auth-valid on operations that need no credential', () => {
  const judge = async (operationId: string, status: number, text: string) => {
    const contract = await load('defender-iot-sensor');
    const operation = contract.operations.find((o) => o.id === operationId)!;
    return authValid.run({ contract, operation, requestCase: {} as never, response: { status, headers: { 'content-type': 'application/json' }, text, durationMs: 1 }, validators });
  };

  it('a 401 for wrong user credentials in the body is not a refused credential', async () => {
    // Skipped, not judged: the operation takes no credential, so no auth contract applies to it.
    expect(await judge('validateCredentials', 401, '{"error":"Credentials validation failed"}')).toEqual({ skip: expect.any(String) });
  });

  it('a 401 with a valid token on a secured operation is still a failure', async () => {
    const outcome = await judge('listDevices', 401, '{"error":"Unauthorized"}');
    expect(outcome).toMatchObject({ findings: [{ message: 'a valid credential was refused with 401' }] });
  });
});
