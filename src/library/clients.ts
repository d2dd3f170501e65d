import createClient, { type Client, type ClientOptions as FetchClientOptions } from 'openapi-fetch';
import { API_NAMES, AUTH_SCHEMES, type ApiPaths } from '../../generated/index.ts';
import type { CredentialFormat } from '../engines/types/api-index.ts';
import { recordResponse } from './responses.ts';

export type { CredentialFormat };

export type * from '../../generated/index.ts';
/**
 * How each API carries its credential, generated from the contracts (`contracts generate` writes
 * generated/index.ts; `generate --check` fails when it is stale).
 */
export { AUTH_SCHEMES };

export type ClientApi = keyof ApiPaths;

/** The request with the token put where the API's scheme carries it (`<prefix><token>`). */
export function withCredential(request: Request, format: CredentialFormat, token: string): Request {
  const value = `${format.prefix}${token}`;
  if ('header' in format) {
    request.headers.set(format.header, value);
    return request;
  }
  if ('cookie' in format) {
    const cookies = request.headers.get('cookie');
    request.headers.set('cookie', `${cookies ? `${cookies}; ` : ''}${format.cookie}=${value}`);
    return request;
  }
  const url = new URL(request.url);
  url.searchParams.set(format.query, value);
  return new Request(url, request);
}

export interface ClientOptions extends Omit<FetchClientOptions, 'baseUrl'> {
  /**
   * Base URL of the service, as the contract's `servers` entry: the origin for Defguard and the
   * Defender for IoT appliances (`https://10.1.0.2`), the tenant's `.../api` URL for Cloud Apps.
   */
  baseUrl: string;
  /** The credential without scheme word; the client adds the API's prefix (`Token `, `Bearer `, none). */
  token?: string;
  /**
   * Keep an unread copy of each response body (until the response is garbage-collected), so that
   * `await expect(response).toMatchContract(api)` works after the client parsed the body. Default true;
   * turn it off in production code that never asserts on responses.
   */
  keepResponseBody?: boolean;
}

function makeClient<A extends ClientApi>(api: A, options: ClientOptions): Client<ApiPaths[A]> {
  const { token, keepResponseBody = true, ...rest } = options;
  const client = createClient<ApiPaths[A]>(rest);
  // The request's method and URL are always remembered (a WeakMap entry): the matcher needs them to find the operation.
  client.use({
    onResponse({ request, response }) {
      recordResponse(response, request, keepResponseBody);
      return response;
    },
  });
  if (token !== undefined) {
    const format: CredentialFormat | undefined = (AUTH_SCHEMES as Partial<Record<ClientApi, CredentialFormat>>)[api];
    if (!format) throw new TypeError(`clients: no operation of '${api}' takes a credential, so a token cannot be applied`);
    client.use({ onRequest: ({ request }) => withCredential(request, format, token) });
  }
  return client;
}

/** `defender-cloud-apps` → `defenderCloudApps`. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

function camelCase(api: string): string {
  return api.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

export type Clients = { [A in ClientApi as CamelCase<A>]: (options: ClientOptions) => Client<ApiPaths[A]> };

/**
 * Typed clients (openapi-fetch over the generated types), one per API named in camelCase
 * (`clients.defenderCloudApps(...)`), with the API's credential format applied. The list comes from
 * generated/index.ts, so a new API gets its client by `contracts generate`.
 */
export const clients = Object.fromEntries(
  API_NAMES.map((api) => [camelCase(api), (options: ClientOptions) => makeClient(api, options)]),
) as Clients;
