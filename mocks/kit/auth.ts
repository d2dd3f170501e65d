import type { FastifyRequest } from 'fastify';
import { classifyCredential, isSecured, presentedCredential } from '../../src/core/auth/index.ts';
import type { ClassExpectation, Contract, CredentialClass, OperationModel } from '../../src/core/contract/model.ts';
import type { CredentialStore, StoredCredential } from './credentials.ts';
import type { ApiModule } from './define.ts';
import { declaredReply } from './replies.ts';
import type { AnyReply } from './types.ts';

/**
 * Auth as the real service does it, over the mock's credential store: the core auth module finds
 * the credential the request presents and names its class (src/core/auth/); the store says what it
 * knows of it; the contract's `x-auth-contract` says how each class is answered.
 */
export interface Admission {
  /** The request's credential class as the mock answers it: `valid` when it is let through. */
  cls: CredentialClass;
  /** The credential the handler sees (the caller), when one was presented and is known. */
  credential?: StoredCredential;
  /** The answer instead of the handler's, when the request is refused. */
  refusal?: AnyReply;
}

interface AuthContext {
  contract: Contract;
  module: Pick<ApiModule, 'roles' | 'tokensRequireRole'>;
  store: CredentialStore;
}

/** The class of the credential the request presents, as the real service would judge it, and the stored credential. */
export function classifyRequest(ctx: AuthContext, op: OperationModel, req: FastifyRequest, tenant: string): { cls: CredentialClass; credential?: StoredCredential } {
  const presented = presentedCredential(ctx.contract, op, { headers: req.headers, query: req.query as Record<string, unknown> });
  if (presented.cls !== 'presented') return { cls: classifyCredential(presented) };
  let credential = ctx.store.find(presented.token);
  // A session id is no API token and an API token no session id (a service keeps them apart).
  if (credential && (credential.kind === 'session') !== (presented.via === 'cookie')) credential = undefined;
  if (!credential) return { cls: classifyCredential(presented) };
  const cls = classifyCredential(presented, {
    state: credential.state,
    ownerActive: ctx.store.owners.get(credential.owner)?.state === 'active',
    tenantMatches: credential.tenant === tenant,
    lacksRole: lacksRole(ctx.module, ctx.store.roleOf(credential), op.requiredRole, credential.kind),
  });
  return { cls, credential };
}

/** Whether the request may reach the handler, and if not the contract's answer for its credential's class. */
export function admit(ctx: AuthContext, op: OperationModel, req: FastifyRequest, tenant: string): Admission {
  if (!isSecured(op)) return { cls: 'valid' };
  const { cls, credential } = classifyRequest(ctx, op, req, tenant);
  if (cls === 'valid') return { cls, credential };
  const expectation = op.authContract?.classes[cls];
  // Where the contract says this class gets through (e.g. a raw-session route), it does; when it
  // lists other statuses beside a 2xx, those are what the handler may answer once past auth.
  if (expectation?.applies && expectation.statuses.some((s) => /^2/.test(s))) return { cls: 'valid', credential };
  return { cls, refusal: refusalReply(ctx.contract, op, cls, expectation?.applies ? expectation : op.authContract?.classes.unknown) };
}

function lacksRole(module: AuthContext['module'], role: string, required: string | undefined, kind: StoredCredential['kind']): boolean {
  // The role API tokens need does not bind a user's own browser session.
  if (kind === 'token' && module.tokensRequireRole && rank(module, role) < rank(module, module.tokensRequireRole)) return true;
  return required !== undefined && rank(module, role) < rank(module, required);
}

const rank = (module: AuthContext['module'], role: string) => module.roles.indexOf(role);

/** The contract's answer for a refused class: its exact body when it states one, else the declared response. */
export function refusalReply(contract: Contract, op: OperationModel, cls: CredentialClass, e: ClassExpectation | undefined): AnyReply {
  const status = Number(e?.statuses.find((s) => /^\d+$/.test(s)) ?? 401);
  const headers: Record<string, string> = {};
  if (e?.wwwAuthenticate === 'required') headers['www-authenticate'] = 'Token realm="mock"';
  if (e?.hasBody) return { status, body: e.body, headers };
  return declaredReply(contract, op, [status], { error: `${cls} credential` }, headers);
}
