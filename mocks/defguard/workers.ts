import { randomBytes } from 'node:crypto';
import type { operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import type { DefguardState, WorkerJob } from './model.ts';
import { caller, notFound } from './views.ts';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * YubiKey provisioning (handlers/worker.rs, grpc/worker.rs). Workers register over gRPC, which the
 * mock does not serve, so they come from the seed. A job is queued for a user on a worker; the mock
 * plays the worker: the first status read finds the job still running (`null`, nothing recorded
 * yet) and the worker finishes it then, so later reads give the result and the user has a new
 * YubiKey (in `state.yubikeys`, with the user's other keys, named `YubiKey <n>` as the server names them). The
 * serial is the mock's own: 8 digits from the job id. The SSH and GPG keys the worker also reports
 * are not kept.
 */
export function workerHandlers(state: DefguardState): Handlers<operations> {
  /** The worker reports success: the job's result and the user's new key, as `set_job_done` records them. */
  function finish(job: WorkerJob): void {
    const serial = String(17_000_000 + job.id);
    job.result = { success: true, serial, error: '' };
    const u = state.users.get(job.username);
    // The user may have gone meanwhile: the server then only logs it.
    if (!u) return;
    const id = state.nextAccountIds.yubikeys++;
    const owned = [...state.yubikeys.values()].filter((y) => y.user_id === u.id).length;
    state.yubikeys.set(id, { id, name: `YubiKey ${owned + 1}`, serial, user_id: u.id });
  }

  return {
    createJob: ({ body, credential }) => {
      const who = caller(state, credential);
      const u = state.users.get(body.username);
      if (!u) return notFound(`user ${body.username} not found`);
      if (u.username !== who.user?.username && !who.isAdmin) return { status: 403, body: { msg: 'Cannot schedule jobs for other users' } };
      // An unknown worker gets no job: the server answers id 0, which no job has.
      if (!state.workers.has(body.worker)) return { status: 201, body: { id: 0 } };
      const job: WorkerJob = { id: state.nextComponentIds.jobs++, worker: body.worker, username: u.username };
      state.jobs.set(job.id, job);
      return { status: 201, body: { id: job.id } };
    },
    jobStatus: ({ params, credential }) => {
      const job = state.jobs.get(Number(params.id));
      if (!job) return { status: 200, body: null };
      const who = caller(state, credential);
      if (!job.result) {
        // Still running at this read; the worker reports right after.
        finish(job);
        return { status: 200, body: null };
      }
      if (!who.isAdmin && job.username !== who.user?.username) return { status: 403, body: { msg: "Cannot fetch job status for other users' jobs" } };
      return job.result.success ? { status: 200, body: job.result } : { status: 404, body: { message: job.result.error } };
    },
    // A JWT the worker presents over gRPC. The mock does not sign it with a secret of the server's:
    // the claims follow Defguard's `Claims` (YubiBridge kind, the admin as subject, no expiry to
    // speak of), the signature is random.
    createWorkerToken: ({ credential }) => {
      const sub = caller(state, credential).user?.username ?? '';
      const iat = Math.floor(Date.now() / 1000);
      const token = `${base64url({ typ: 'JWT', alg: 'HS256' })}.${base64url({ iss: 'defguard', sub, client_id: '', iat, exp: iat + 4_294_967_295 })}.${randomBytes(32).toString('base64url')}`;
      return { status: 201, body: { token } };
    },
    listWorkers: () => ({ status: 200, body: [...state.workers.values()].sort((a, b) => a.id.localeCompare(b.id)) }),
    removeWorker: ({ params }) => (state.workers.delete(params.id) ? { status: 200, body: null } : notFound(`worker_id ${params.id} not found`)),
  };
}
