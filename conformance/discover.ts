import { linksInto } from '../src/core/contract/links.ts';
import { changesState, type Contract, type OperationModel } from '../src/core/contract/model.ts';
import { isJsonMediaType, essence } from '../src/core/contract/responses.ts';
import { valueCase, type CredentialSource } from './plan.ts';
import type { ObservedResponse, RequestCase } from './types.ts';
import type { ChosenValues, ValueStore } from './values.ts';

export interface DiscoveryOptions {
  credentials: CredentialSource;
  send: (rc: RequestCase) => Promise<ObservedResponse>;
  /** Rounds of reads: lists first, then lists under what the lists named (default 3). */
  rounds?: number;
  /** Requests per producer with path parameters: one per object learned (default 3). */
  perProducer?: number;
  signal?: AbortSignal;
  /** The operations the run checks: only the reads that feed them (directly or through other reads) are sent. */
  operations?: readonly OperationModel[];
}

export interface DiscoveryReport {
  /** Safe reads sent. */
  reads: number;
  /** Of those, answered with a 2xx. */
  answered: number;
  /** Operations with path parameters, and how many of them now have values for all of them. */
  operationsWithPathParameters: number;
  operationsWithValues: number;
}

/**
 * Learns the target's real ids and names before anything is checked: sends the safe reads (GETs,
 * and searches marked `x-safe`) that some link leaves from, with the valid credential, and keeps
 * the values their answers yield. Each round may read under what the previous one named (a user's
 * tokens after the users list). Nothing here changes state, so it runs against any target.
 */
export async function discoverValues(contract: Contract, store: ValueStore, options: DiscoveryOptions): Promise<DiscoveryReport> {
  const producers = neededProducers(contract, options.operations ?? contract.operations);
  const sent = new Set<string>();
  let reads = 0;
  let answered = 0;
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    const batch: RequestCase[] = [];
    for (const op of producers) {
      for (const chosen of producerValues(store, op, options.perProducer ?? 3)) {
        const rc = valueCase(contract, op, 'positive', chosen ?? { values: {}, origin: 'example', written: false }, options.credentials);
        const key = `${rc.method} ${rc.url}`;
        if (sent.has(key)) continue;
        sent.add(key);
        batch.push(rc);
      }
    }
    if (batch.length === 0 || options.signal?.aborted) break;
    for (const rc of batch) {
      if (options.signal?.aborted) break;
      reads++;
      const response = await options.send(rc);
      if (response.status >= 200 && response.status <= 299) answered++;
      store.harvest(rc.operation, response.status, () => exchangeOf(rc, response), 'discovered');
    }
  }
  const withPath = contract.operations.filter((op) => op.parameters.some((p) => p.in === 'path'));
  return {
    reads,
    answered,
    operationsWithPathParameters: withPath.length,
    operationsWithValues: withPath.filter((op) => store.choose(op, 'read')?.origin === 'discovered').length,
  };
}

/**
 * The safe reads whose answers the checked operations need: the producers of their path
 * parameters, and, for producers that take path parameters themselves, those producers' producers.
 * A run of operations without path parameters sends none.
 */
function neededProducers(contract: Contract, operations: readonly OperationModel[]): OperationModel[] {
  const byId = new Map(contract.operations.map((op) => [op.id, op]));
  const needed = new Set<OperationModel>();
  const queue = operations.filter((op) => op.parameters.some((p) => p.in === 'path'));
  const seen = new Set(queue);
  while (queue.length > 0) {
    const consumer = queue.shift()!;
    for (const link of linksInto(contract, consumer)) {
      const producer = byId.get(link.producer.operationId);
      if (!producer || changesState(producer)) continue;
      needed.add(producer);
      if (!seen.has(producer) && producer.parameters.some((p) => p.in === 'path')) {
        seen.add(producer);
        queue.push(producer);
      }
    }
  }
  return contract.operations.filter((op) => needed.has(op));
}

/**
 * The path values to read a producer with: none for a producer without path parameters; else one
 * set per object learned so far (a producer whose values are not known yet waits for a later round).
 */
function producerValues(store: ValueStore, op: OperationModel, limit: number): Array<ChosenValues | undefined> {
  const names = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  if (names.length === 0) return [undefined];
  const complete = store.bindings(op).filter((b) => names.every((n) => n in b.values));
  return complete.slice(0, limit).map((b) => ({ values: b.values, origin: b.origin, written: b.link.origin === 'written' }));
}

/** What a link can read from one exchange: the parsed answer, its headers, and what the request sent. */
export function exchangeOf(rc: RequestCase, response: ObservedResponse) {
  const query: Record<string, unknown> = {};
  const qs = rc.url.indexOf('?');
  if (qs >= 0) for (const [k, v] of new URLSearchParams(rc.url.slice(qs + 1))) query[k] = v;
  return {
    responseBody: parseJson(response),
    responseHeaders: response.headers,
    requestPath: rc.pathValues ?? {},
    requestQuery: query,
    requestBody: rc.bodyValue,
  };
}

function parseJson(response: ObservedResponse): unknown {
  const type = essence(response.headers['content-type']);
  if (type && !isJsonMediaType(type)) return undefined;
  try {
    return JSON.parse(response.text);
  } catch {
    return undefined;
  }
}
