import type { Contract, OperationModel } from '../src/core/contract/model.ts';
import { isNotFoundAnswer, matchResponse } from '../src/core/contract/responses.ts';
import { toCurl } from './curl.ts';
import { isItemRoute } from './identify.ts';
import { valueCase, type CredentialSource } from './plan.ts';
import type { ObservedResponse, RequestCase, Secret } from './types.ts';
import type { Binding } from './values.ts';

/** An object the run created, and the operations that read and delete it. */
export interface CreatedObject {
  values: Record<string, unknown>;
  /** `POST /api/v1/user`: the request that created it. */
  createdBy: string;
  readOp?: OperationModel;
  deleteOp?: OperationModel;
  written: boolean;
  /** The operations whose answers named it (the creation, or the list it was found in). */
  namedBy: string[];
}

/** Something the run created and could not remove, with the request that would. */
export interface Leftover {
  object: string;
  reason: string;
  /** The delete request, credential as an environment variable. */
  curl?: string;
}

export interface CleanupReport {
  /** Objects the run created that it removed at the end (its own deletes are not counted here). */
  removed: number;
  leftovers: Leftover[];
}

/**
 * What the run created and has not deleted yet. A creation's answer names the object through the
 * links to the routes under it (`POST /things` → `/things/{id}`); the read and delete routes there
 * are how the run checks it and removes it.
 */
export class CleanupLedger {
  private readonly open: CreatedObject[] = [];
  /** Creations whose object the run could not identify, and why: it may be left behind. */
  private readonly unknown: Leftover[] = [];
  private readonly byId: ReadonlyMap<string, OperationModel>;

  constructor(private readonly contract: Contract) {
    this.byId = new Map(contract.operations.map((op) => [op.id, op]));
  }

  /** Records the objects a creation's answer named (the bindings its links yielded to item routes). */
  record(creation: OperationModel, added: readonly Binding[]): CreatedObject[] {
    const recorded: CreatedObject[] = [];
    const byValues = new Map<string, CreatedObject>();
    for (const b of added) {
      const consumer = this.byId.get(b.link.consumer);
      const item = consumer && isItemRoute(this.contract, creation, consumer) ? consumer : undefined;
      if (!item) continue;
      const key = JSON.stringify(b.values);
      let obj = byValues.get(key);
      if (!obj) {
        obj = { values: b.values, createdBy: `${creation.method.toUpperCase()} ${creation.path}`, written: b.link.origin === 'written', namedBy: [] };
        byValues.set(key, obj);
        recorded.push(obj);
      }
      if (!obj.namedBy.includes(b.link.producer.operationId)) obj.namedBy.push(b.link.producer.operationId);
      if (item.method === 'get') obj.readOp ??= item;
      if (item.method === 'delete') obj.deleteOp ??= item;
    }
    this.open.push(...recorded.filter((o) => o.deleteOp));
    return recorded;
  }

  /**
   * A creation succeeded but neither its answer nor a list named what it made: the run cannot
   * remove it, and says so rather than report that nothing is left.
   */
  unidentified(creation: OperationModel, reason: string): void {
    this.unknown.push({ object: `an object created by ${creation.method.toUpperCase()} ${creation.path} (not identified)`, reason: `the created object could not be identified and may be left behind: ${reason}` });
  }

  /** What the run created and could not identify. */
  unidentifiedObjects(): Leftover[] {
    return [...this.unknown];
  }

  /** The run deleted an object itself: nothing left to clean up for it. */
  settle(deleteOp: OperationModel, values: Record<string, unknown>): CreatedObject | undefined {
    const i = this.open.findIndex((o) => o.deleteOp === deleteOp && Object.entries(o.values).every(([k, v]) => values[k] === v));
    if (i < 0) return undefined;
    return this.open.splice(i, 1)[0];
  }

  /** Newest first, so what was created under an object goes before it. */
  pending(): CreatedObject[] {
    return [...this.open].reverse();
  }

  clear(): void {
    this.open.length = 0;
    this.unknown.length = 0;
  }
}

export interface CleanupOptions {
  credentials: CredentialSource;
  send: (rc: RequestCase) => Promise<ObservedResponse>;
  baseUrl: string;
  secrets: Secret[];
}

/**
 * Deletes every object the run created and did not delete itself, newest first. An object already
 * gone (its parent was deleted) counts as removed; anything else is reported with the request that
 * would remove it. Never throws: a target that stopped answering leaves every object as a leftover.
 */
export async function cleanUp(contract: Contract, ledger: CleanupLedger, options: CleanupOptions): Promise<CleanupReport> {
  const report: CleanupReport = { removed: 0, leftovers: [] };
  for (const obj of ledger.pending()) {
    const rc = valueCase(contract, obj.deleteOp!, 'positive', { values: obj.values, origin: 'created', written: obj.written }, options.credentials);
    const object = `${describe(obj)} (created by ${obj.createdBy})`;
    const curl = toCurl(rc, options.baseUrl, options.secrets);
    try {
      const response = await options.send(rc);
      if ((response.status >= 200 && response.status <= 299) || isNotFoundAnswer(response.status, matchResponse(obj.deleteOp!, response.status))) {
        report.removed++;
      } else {
        report.leftovers.push({ object, reason: `${rc.method} ${rc.url} answered ${response.status}`, curl });
      }
    } catch (err) {
      report.leftovers.push({ object, reason: err instanceof Error ? err.message : String(err), curl });
    }
  }
  report.leftovers.push(...ledger.unidentifiedObjects());
  ledger.clear();
  return report;
}

function describe(obj: CreatedObject): string {
  return Object.entries(obj.values)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}
