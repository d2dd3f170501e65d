import type { operations } from '../../generated/defender-iot-sensor.ts';
import type { Contract } from '../../src/core/contract/model.ts';
import type { Handlers } from '../kit/types.ts';
import type { Event, SensorState } from './state.ts';

const MINUTE = 60_000;
/** The sensor caps the event window at three days; a larger `minutesTimeFrame` is treated as this. */
const MAX_EVENT_MINUTES = 4320;
/** The timeline answers with the latest 100 events at most. */
const MAX_EVENTS = 100;

const EVENT_TYPE = '#/components/schemas/EventType';

/**
 * The documented event types: the enum branch of the contract's `EventType` (a documented list, or
 * any other text). A `type` outside them is ignored by the sensor, so the filter needs to tell the
 * two apart; a contract without that list is an error here, not a filter that ignores every type.
 */
export function knownEventTypes(contract: Contract): ReadonlySet<string> {
  const schemas = (contract.document.components as { schemas?: Record<string, { anyOf?: Array<{ enum?: unknown[] }> }> } | undefined)?.schemas;
  const values = schemas?.EventType?.anyOf?.find((branch) => Array.isArray(branch.enum))?.enum ?? [];
  const types = values.filter((v): v is string => typeof v === 'string');
  if (types.length === 0 || types.length !== values.length) {
    throw new Error(`${contract.api}: ${EVENT_TYPE} has no list of event types (an anyOf branch with an enum of strings); the events filter needs it`);
  }
  return new Set(types);
}

function listEvents(state: SensorState, eventTypes: ReadonlySet<string>, q: { minutesTimeFrame?: number; type?: string }, now = Date.now()): Event[] {
  const minutes = q.minutesTimeFrame === undefined ? undefined : Math.min(q.minutesTimeFrame, MAX_EVENT_MINUTES);
  const type = q.type !== undefined && eventTypes.has(q.type) ? q.type : undefined;
  return state.events
    .filter((e) => (minutes === undefined || e.timestamp >= now - minutes * MINUTE) && (type === undefined || e.type === type))
    .sort((a, b) => b.timestamp - a.timestamp)
    .slice(0, MAX_EVENTS);
}

/** The event timeline: newest first, within a time frame and of one documented type. */
export function eventHandlers(state: SensorState, eventTypes: ReadonlySet<string>): Handlers<operations> {
  return {
    listEvents: ({ query }) => ({ status: 200, body: listEvents(state, eventTypes, query) }),
  };
}
