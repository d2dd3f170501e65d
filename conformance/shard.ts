import { createHash } from 'node:crypto';
import { isCreation } from '../src/core/contract/links.ts';
import type { OperationModel } from '../src/core/contract/model.ts';
import { UsageError } from '../src/core/errors.ts';

/** One part of a run split across machines: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** What a sharded report records so shards can be merged, and mixed runs told apart. */
export interface ShardInfo extends Shard {
  /** Operations the filters selected for the API before sharding (all shards see the same). */
  selected: number;
  /** Hash of the selected operations' ids: shards of different selections or contracts differ here. */
  selection: string;
}

/** `--shard 2/4` → {index: 2, count: 4}; anything else is a usage error. */
export function parseShard(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard takes <i>/<n> with 1 ≤ i ≤ n (e.g. 1/4), got '${value}'`);
  }
  return { index, count };
}

/**
 * Which shard (0-based) an operation belongs to: a hash of (api, operationId) alone, so adding,
 * removing or filtering out other operations never moves it to another shard.
 */
export function shardOf(api: string, operationId: string, count: number): number {
  const digest = createHash('sha256').update(`${api}\0${operationId}`).digest();
  return digest.readUInt32BE(0) % count;
}

/** The operations of `selected` that belong to this shard, in their contract order. */
export function shardOperations(api: string, selected: readonly OperationModel[], shard: Shard): OperationModel[] {
  return selected.filter((op) => shardOf(api, op.id, shard.count) === shard.index - 1);
}

/** The record a sharded report carries for one API. */
export function shardInfo(api: string, selected: readonly OperationModel[], shard: Shard): ShardInfo {
  const selection = createHash('sha256').update(JSON.stringify([api, ...selected.map((op) => op.id)])).digest('hex').slice(0, 16);
  return { ...shard, selected: selected.length, selection };
}

/**
 * Creations a shard must still send, unreported, because its own operations work on what they
 * create: `POST /users` for a shard that holds `DELETE /users/{id}`, `POST /users/{id}/tokens` or
 * `GET /users/{id}` (on a target without users). Without them those operations would be sent with
 * example values, where the unsharded run changes or reads an object it made (and a run never
 * changes objects it did not make). Every object they create is removed by the shard's clean-up.
 */
export function supportingCreations(selected: readonly OperationModel[], inShard: readonly OperationModel[]): OperationModel[] {
  const mine = new Set(inShard);
  return selected.filter((c) => !mine.has(c) && isCreation(c) && inShard.some((op) => op.path.startsWith(`${c.path.replace(/\/$/, '')}/`)));
}
