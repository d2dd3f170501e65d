import type { Contract } from '../src/core/contract/model.ts';
import defenderCloudApps from './defender-cloud-apps/index.ts';
import defenderIotManagement from './defender-iot-management/index.ts';
import defenderIotSensor from './defender-iot-sensor/index.ts';
import { defguard } from './defguard/index.ts';
import { buildStatefulMock, type ApiModule, type StatefulMockOptions } from './kit/server.ts';

/** The stateful mock of each API, by API name. */
export const statefulModules: Record<string, ApiModule<never>> = {
  defguard: defguard as ApiModule<never>,
  'defender-cloud-apps': defenderCloudApps as ApiModule<never>,
  'defender-iot-sensor': defenderIotSensor as ApiModule<never>,
  'defender-iot-management': defenderIotManagement as ApiModule<never>,
};

export function hasStatefulMock(api: string): boolean {
  return api in statefulModules;
}

export async function buildStatefulMockFor(contract: Contract, options?: StatefulMockOptions) {
  const module = statefulModules[contract.api];
  if (!module) throw new Error(`no stateful mock for '${contract.api}'`);
  return buildStatefulMock(contract, module, options);
}
