import type { operations } from '../../generated/defender-iot-management.ts';
import type { StoredCredential } from '../kit/credentials.ts';
import type { Handlers, Reply } from '../kit/types.ts';
import type { ManagementState, LogEntry, WindowRecord } from './state.ts';

type Operation = LogEntry['operationType'];

function logAction(state: ManagementState, credential: StoredCredential | undefined, operationType: Operation, window: Partial<WindowRecord> & { ticketId: string }) {
  const open = operationType === 'OPEN';
  state.log.push({
    id: Math.max(0, ...state.log.map((e) => e.id)) + 1,
    dateTime: new Date().toISOString(),
    ticketId: window.ticketId,
    // The log names the access token that made the change.
    tokenName: credential?.name ?? '',
    engines: open ? (window.engines ?? null) : null,
    sensorIds: open ? (window.sensorIds?.map(String) ?? null) : null,
    subnets: open ? (window.subnets ?? null) : null,
    ttl: window.ttl === undefined ? null : Number(window.ttl),
    operationType,
  });
}

const sameParameters = (a: WindowRecord, b: WindowRecord) => {
  const key = (w: WindowRecord) => JSON.stringify([Number(w.ttl), [...(w.engines ?? [])].sort(), (w.sensorIds ?? []).map(String).sort(), [...(w.subnets ?? [])].sort()]);
  return key(a) === key(b);
};

function createWindow(state: ManagementState, body: WindowRecord, credential?: StoredCredential): Reply<operations['createMaintenanceWindow']> {
  if (state.windows.has(body.ticketId)) return { status: 409, body: { error: 'Ticket ID already has an open window.' } };
  if (body.sensorIds?.some((id) => !state.sensors.some((s) => s.id === Number(id)))) return { status: 404, body: { error: 'Unknown sensor ID' } };
  if ([...state.windows.values()].some((w) => sameParameters(w, body))) return { status: 400, body: { error: 'Maintenance window with same parameters already exists.' } };
  state.windows.set(body.ticketId, structuredClone(body));
  logAction(state, credential, 'OPEN', body);
  return { status: 201, body: undefined };
}

interface LogFilter {
  fromDate?: string;
  toDate?: string;
  ticketId?: string;
  tokenName?: string;
}

/** Dates are whole UTC days, both bounds included. */
function filterLog(log: LogEntry[], q: LogFilter): LogEntry[] {
  return log.filter((e) => {
    const day = new Date(e.dateTime).toISOString().slice(0, 10);
    return (q.fromDate === undefined || day >= q.fromDate) && (q.toDate === undefined || day <= q.toDate) && (q.ticketId === undefined || e.ticketId === q.ticketId) && (q.tokenName === undefined || e.tokenName === q.tokenName);
  });
}

/** Maintenance windows (open, change the TTL, close) and the log of those actions, each naming the token that made it. */
export function maintenanceHandlers(state: ManagementState): Handlers<operations> {
  return {
    createMaintenanceWindow: ({ body, credential }) => createWindow(state, body, credential),
    updateMaintenanceWindow: ({ body, credential }) => {
      const w = state.windows.get(body.ticketId);
      if (!w) return { status: 404, body: { error: 'Maintenance window not found' } };
      w.ttl = body.ttl;
      logAction(state, credential, 'UPDATE', { ticketId: body.ticketId, ttl: body.ttl });
      return { status: 200, body: undefined };
    },
    closeMaintenanceWindow: ({ query, body, credential }) => {
      const ticketId = query.ticketId ?? body?.ticketId;
      if (!ticketId) return { status: 400, body: { error: 'No TicketId' } };
      if (!state.windows.delete(ticketId)) return { status: 404, body: { error: 'Maintenance window not found.' } };
      logAction(state, credential, 'CLOSE', { ticketId });
      return { status: 200, body: undefined };
    },
    listMaintenanceWindowLog: ({ query }) => {
      const entries = filterLog(state.log, query);
      // The docs answer "nothing to show" with 204 and no body, not with an empty list.
      return entries.length > 0 ? { status: 200, body: entries } : { status: 204, body: undefined };
    },
  };
}
