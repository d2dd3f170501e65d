import type { ManagementState } from './state.ts';

/** Names of the places a record refers to by id; an id the console does not know reads as a generic name. */
export const siteName = (state: ManagementState, id: number) => state.sites.find((s) => s.id === id)?.name ?? `Site ${id}`;
export const zoneName = (state: ManagementState, id: number) => state.zones.find((z) => z.id === id)?.name ?? `Zone ${id}`;
export const sensorName = (state: ManagementState, id: number) => state.sensors.find((s) => s.id === id)?.name ?? `Sensor ${id}`;

/** A comma-separated list filter: absent means no restriction. */
export const inList = (list: number[] | undefined, value: number) => list === undefined || list.includes(value);
