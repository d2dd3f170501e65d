import { sample } from 'openapi-sampler';
import type { Contract, JsonObject, MediaTypeModel, OperationModel, ParameterModel, SecurityScheme } from '../src/contract/model.ts';
import { isAnonymousAllowed } from '../src/contract/model.ts';
import { isJsonMediaType } from './match.ts';
import type { RequestCase } from './types.ts';

/** Supplies the credential value for a security scheme, or undefined when none is available. */
export type CredentialSource = (scheme: SecurityScheme) => string | undefined;

export interface PlanOptions {
  credentials: CredentialSource;
}

const POSITIVE_CHECKS = ['status-declared', 'content-type', 'response-schema'];
const NO_CREDENTIAL_CHECKS = ['auth-required', 'status-declared', 'content-type', 'response-schema'];

/**
 * Request cases for every operation: one valid request (with credentials when the operation needs
 * them) and, for secured operations, the same request without any credential.
 */
export function planCases(contract: Contract, options: PlanOptions): RequestCase[] {
  const cases: RequestCase[] = [];
  for (const op of contract.operations) {
    const base = buildRequest(contract, op);
    const credentialed = applyCredentials(contract, op, base, options.credentials);
    cases.push({ ...credentialed, kind: 'positive', operation: op, checks: POSITIVE_CHECKS });
    if (!isAnonymousAllowed(op)) {
      cases.push({ ...base, kind: 'no-credentials', operation: op, checks: NO_CREDENTIAL_CHECKS });
    }
  }
  return cases;
}

type BuiltRequest = Pick<RequestCase, 'method' | 'url' | 'headers' | 'body' | 'secretHeaders'>;

function buildRequest(contract: Contract, op: OperationModel): BuiltRequest {
  let url = op.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of op.parameters) {
    if (!p.required) continue;
    const value = parameterValue(contract, p);
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    else if (p.in === 'query') query.append(p.name, String(value));
    else if (p.in === 'header') headers[p.name.toLowerCase()] = String(value);
  }
  const qs = query.toString();
  let body: string | undefined;
  const media = pickRequestMedia(op.requestBody?.content ?? []);
  if (media && op.requestBody) {
    const value = media.examples.length > 0 ? media.examples[0] : sampleSchema(contract, media.schema);
    headers['content-type'] = media.mediaType;
    body = typeof value === 'string' && !isJsonMediaType(media.mediaType) ? value : JSON.stringify(value);
  }
  return { method: op.method.toUpperCase(), url: qs ? `${url}?${qs}` : url, headers, body, secretHeaders: [] };
}

function pickRequestMedia(content: MediaTypeModel[]): MediaTypeModel | undefined {
  return content.find((c) => isJsonMediaType(c.mediaType)) ?? content[0];
}

function parameterValue(contract: Contract, p: ParameterModel): unknown {
  if (p.examples.length > 0) return p.examples[0];
  return sampleSchema(contract, p.schema) ?? 'x';
}

function sampleSchema(contract: Contract, schema: JsonObject | undefined): unknown {
  if (!schema) return {};
  return sample(schema as never, { skipReadOnly: true, quiet: true }, contract.document as never);
}

/** Puts the credential of the first satisfiable security alternative where its scheme says. */
function applyCredentials(
  contract: Contract,
  op: OperationModel,
  request: BuiltRequest,
  credentials: CredentialSource,
): BuiltRequest {
  const alternative = op.security.find((alt) => alt.length > 0 && alt.every((name) => contract.securitySchemes[name]));
  if (!alternative) return request;
  const headers = { ...request.headers };
  const secretHeaders = [...request.secretHeaders];
  let url = request.url;
  for (const name of alternative) {
    const scheme = contract.securitySchemes[name]!;
    const token = credentials(scheme);
    if (token === undefined) continue;
    const value = `${scheme.prefix}${token}`;
    const key = (scheme.paramName ?? 'Authorization').toLowerCase();
    if (scheme.in === 'query') {
      url += `${url.includes('?') ? '&' : '?'}${encodeURIComponent(scheme.paramName ?? 'token')}=${encodeURIComponent(value)}`;
    } else if (scheme.in === 'cookie') {
      headers.cookie = `${scheme.paramName}=${value}`;
      secretHeaders.push('cookie');
    } else {
      headers[key] = value;
      secretHeaders.push(key);
    }
  }
  return { ...request, url, headers, secretHeaders };
}
