import type { operations } from '../../generated/defender-iot-sensor.ts';
import type { Handlers } from '../kit/types.ts';
import type { Connection, Cve, SensorState } from './state.ts';

const MINUTE = 60_000;

interface ConnectionFilter {
  discoveredBefore?: number;
  discoveredAfter?: number;
  lastActiveInMinutes?: number;
}

/** Both discovery bounds are strict, as the docs word them ("before", "after"). */
function filterConnections(connections: Connection[], q: ConnectionFilter, now = Date.now()) {
  return connections.filter(
    (c) =>
      (q.discoveredBefore === undefined || c.discovered < q.discoveredBefore) &&
      (q.discoveredAfter === undefined || c.discovered > q.discoveredAfter) &&
      (q.lastActiveInMinutes === undefined || c.lastSeen >= now - q.lastActiveInMinutes * MINUTE),
  );
}

/**
 * A device's connections. The docs do not say what an unknown device id returns and the contract
 * declares no not-found answer; the per-device route narrows the same list as a filter does (older
 * revisions documented `deviceId` as a query filter), so an unknown id matches nothing.
 */
function deviceConnections(state: SensorState, deviceId: number, q: ConnectionFilter) {
  const mine = state.connections.filter((c) => c.firstDeviceId === deviceId || c.secondDeviceId === deviceId);
  return filterConnections(mine, q);
}

const byScore = (a: Cve, b: Cve) => Number(b.score) - Number(a.score);

/** Highest score first, at most `top` per device address. */
function topCves(cves: Cve[], top = 100): Cve[] {
  const perAddress = new Map<string, number>();
  return [...cves].sort(byScore).filter((c) => {
    const n = (perAddress.get(c.ipAddress) ?? 0) + 1;
    perAddress.set(c.ipAddress, n);
    return n <= top;
  });
}

/** Connections between devices and the devices' CVEs, on the devices' own ids and addresses. */
export function connectionHandlers(state: SensorState): Handlers<operations> {
  return {
    listConnections: ({ query }) => ({ status: 200, body: filterConnections(state.connections, query) }),
    listDeviceConnections: ({ params, query }) => ({ status: 200, body: deviceConnections(state, params.deviceId, query) }),
    listCves: ({ query }) => ({ status: 200, body: topCves(state.cves, query.top) }),
    // Like the connections of an unknown device, an address no device has simply has no CVEs.
    listDeviceCves: ({ params, query }) => ({ status: 200, body: topCves(state.cves.filter((c) => c.ipAddress === params.ipAddress), query.top) }),
  };
}
