import createClient, { type Client, type ClientOptions as FetchClientOptions } from 'openapi-fetch';
import type { paths as DefenderCloudAppsPaths } from '../../generated/defender-cloud-apps.ts';
import type { paths as DefenderIotManagementPaths } from '../../generated/defender-iot-management.ts';
import type { paths as DefenderIotSensorPaths } from '../../generated/defender-iot-sensor.ts';
import type { paths as DefguardPaths } from '../../generated/defguard.ts';
import type { paths as DefguardMigrationPaths } from '../../generated/defguard-migration.ts';
import type { paths as DefguardSetupPaths } from '../../generated/defguard-setup.ts';
import { recordResponse } from './responses.ts';

export type { DefenderCloudAppsPaths, DefenderIotManagementPaths, DefenderIotSensorPaths, DefguardMigrationPaths, DefguardPaths, DefguardSetupPaths };

/**
 * How each API carries its credential: the header and the literal text before the token, as the
 * contract's security scheme states it (`x-scheme-prefix`; `Bearer ` for http bearer). This table is
 * the only place the clients learn it; test/library.test.ts checks it against the contracts.
 */
export const AUTH_SCHEMES = {
  defguard: { scheme: 'ApiToken', header: 'Authorization', prefix: 'Bearer ' },
  'defender-cloud-apps': { scheme: 'LegacyApiToken', header: 'Authorization', prefix: 'Token ' },
  'defender-iot-sensor': { scheme: 'AccessToken', header: 'Authorization', prefix: '' },
  'defender-iot-management': { scheme: 'AccessToken', header: 'Authorization', prefix: '' },
  // Defguard's first-run setup and migration servers (separate programs, same credentials as the core).
  'defguard-setup': { scheme: 'ApiToken', header: 'Authorization', prefix: 'Bearer ' },
  'defguard-migration': { scheme: 'ApiToken', header: 'Authorization', prefix: 'Bearer ' },
} as const satisfies Record<string, { scheme: string; header: string; prefix: string }>;

export type ClientApi = keyof typeof AUTH_SCHEMES;

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

function makeClient<Paths extends {}>(api: ClientApi, options: ClientOptions): Client<Paths> {
  const { token, keepResponseBody = true, ...rest } = options;
  const client = createClient<Paths>(rest);
  if (keepResponseBody) {
    client.use({
      onResponse({ request, response }) {
        recordResponse(response, request.method);
        return response;
      },
    });
  }
  if (token !== undefined) {
    const { header, prefix } = AUTH_SCHEMES[api];
    client.use({
      onRequest({ request }) {
        request.headers.set(header, `${prefix}${token}`);
        return request;
      },
    });
  }
  return client;
}

/** Typed clients (openapi-fetch over the generated types), one per API, with the API's auth scheme applied. */
export const clients = {
  defguard: (options: ClientOptions): Client<DefguardPaths> => makeClient<DefguardPaths>('defguard', options),
  defenderCloudApps: (options: ClientOptions): Client<DefenderCloudAppsPaths> =>
    makeClient<DefenderCloudAppsPaths>('defender-cloud-apps', options),
  defenderIotSensor: (options: ClientOptions): Client<DefenderIotSensorPaths> =>
    makeClient<DefenderIotSensorPaths>('defender-iot-sensor', options),
  defenderIotManagement: (options: ClientOptions): Client<DefenderIotManagementPaths> =>
    makeClient<DefenderIotManagementPaths>('defender-iot-management', options),
  defguardSetup: (options: ClientOptions): Client<DefguardSetupPaths> => makeClient<DefguardSetupPaths>('defguard-setup', options),
  defguardMigration: (options: ClientOptions): Client<DefguardMigrationPaths> => makeClient<DefguardMigrationPaths>('defguard-migration', options),
};
