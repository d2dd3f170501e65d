import { linksFrom, valuesOf, type LinkModel, type ProducedExchange } from '../src/core/contract/links.ts';
import type { Contract, OperationModel } from '../src/core/contract/model.ts';
import { matchResponse } from '../src/core/contract/responses.ts';

/**
 * Where the values of a request's path parameters come from:
 * - `discovered`: a safe read of the target named the object (a list, a search);
 * - `created`: the run created the object itself;
 * - `example`: nothing was learned, so the contract's example stands in (it may not exist there).
 */
export type ValueOrigin = 'discovered' | 'created' | 'example';

/** Values for some of one operation's parameters, learned from one exchange through one link. */
export interface Binding {
  values: Record<string, unknown>;
  origin: Exclude<ValueOrigin, 'example'>;
  link: LinkModel;
  /** Order in which the run learned it (a later creation has a higher number). */
  seq: number;
}

/** The path values chosen for one request, and what they rest on. */
export interface ChosenValues {
  values: Record<string, unknown>;
  /** The weakest origin among the parameters: one example value makes the whole request `example`. */
  origin: ValueOrigin;
  /** Every value came through a link written in the contract (not an inferred one). */
  written: boolean;
  /** For reports: where the values came from (`GET /api/v1/user → username`). */
  from?: string;
  /** The newest binding used: deleting what was created last first keeps parents until their children are gone. */
  seq?: number;
}

/** Most bindings kept per operation: enough for a second object (ownership checks), not a crawl. */
const MAX_BINDINGS = 8;

/**
 * Values the run learned, per consumer operation. Discovery fills it from safe reads, creations
 * from what they made; planning asks it which values a request should use.
 */
export class ValueStore {
  private readonly byConsumer = new Map<string, Binding[]>();
  private learned = 0;

  constructor(private readonly contract: Contract) {}

  /**
   * Reads every link out of the declared response the producer answered with, and keeps the
   * bindings it yields (`exchangeOf` builds what the links read, only when one does). Returns the
   * bindings that are new.
   */
  harvest(producer: OperationModel, status: number, exchangeOf: () => ProducedExchange, origin: Binding['origin']): Binding[] {
    const declared = matchResponse(producer, status);
    if (!declared || status < 200 || status > 299) return [];
    const links = linksFrom(this.contract, producer, declared.status);
    if (links.length === 0) return [];
    // The answer is parsed only for a response some link leaves from: most reads feed nothing.
    const exchange = exchangeOf();
    const added: Binding[] = [];
    for (const link of links) {
      for (const values of bindingsOf(link, exchange)) {
        const list = this.byConsumer.get(link.consumer) ?? [];
        const key = JSON.stringify(values);
        const existing = list.find((b) => JSON.stringify(b.values) === key);
        // An object the target had already named is not the run's to change, even when a creation's
        // answer names it again (a mock that answers every creation with the same example object).
        if (existing) continue;
        if (list.length >= MAX_BINDINGS && origin !== 'created') continue;
        const binding: Binding = { values, origin, link, seq: ++this.learned };
        list.push(binding);
        this.byConsumer.set(link.consumer, list);
        added.push(binding);
      }
    }
    return added;
  }

  bindings(consumer: OperationModel): readonly Binding[] {
    return this.byConsumer.get(consumer.id) ?? [];
  }

  /**
   * The target itself named an object with these path values (discovery found it): the run must
   * not change it. Compared as text, since an example written `1` names the same object as a path
   * value read as `"1"`.
   */
  discovered(op: OperationModel, values: Record<string, unknown>): boolean {
    const entries = Object.entries(values);
    if (entries.length === 0) return false;
    return this.bindings(op).some((b) => b.origin === 'discovered' && entries.every(([k, v]) => k in b.values && String(b.values[k]) === String(v)));
  }

  /**
   * Forgets an object the run deleted, for every operation that would have used its values: the
   * bindings with those values that the same answers yielded (a webhook 3 deleted is no reason to
   * forget group 3).
   */
  forget(values: Record<string, unknown>, namedBy: readonly string[]): void {
    const entries = Object.entries(values);
    for (const [id, list] of this.byConsumer) {
      const kept = list.filter((b) => !(namedBy.includes(b.link.producer.operationId) && entries.every(([k, v]) => b.values[k] === v)));
      this.byConsumer.set(id, kept);
    }
  }

  /**
   * Path values for a request to the operation. A read takes what the target named first, then
   * what the run created. A request that changes state takes only objects the run created, newest
   * first: the run never changes or deletes an object it found (on a local mock that could be the
   * very account the run signs in with). Without values for every path parameter, the request
   * keeps the contract's examples.
   */
  choose(op: OperationModel, use: 'read' | 'change'): ChosenValues | undefined {
    const names = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
    if (names.length === 0) return undefined;
    const all = this.bindings(op);
    const created = all.filter((b) => b.origin === 'created');
    const candidates = use === 'read' ? [...all.filter((b) => b.origin === 'discovered'), ...created] : [...created].reverse();
    const values: Record<string, unknown> = {};
    const used: Binding[] = [];
    for (const b of candidates) {
      let contributed = false;
      for (const name of names) {
        if (!(name in values) && name in b.values) {
          values[name] = b.values[name];
          contributed = true;
        }
      }
      if (contributed) used.push(b);
      if (names.every((n) => n in values)) break;
    }
    // Values are taken all together or not at all: a learned user with the example's token id names
    // an object that exists nowhere, where the example pair at least belongs together.
    if (!names.every((n) => n in values)) return { values: {}, origin: 'example', written: false };
    const origin: ValueOrigin = used.some((b) => b.origin === 'discovered') ? 'discovered' : 'created';
    return {
      values,
      origin,
      written: used.length > 0 && used.every((b) => b.link.origin === 'written'),
      from: used.length > 0 ? used.map((b) => describeLink(this.contract, b.link)).join('; ') : undefined,
      seq: Math.max(...used.map((b) => b.seq)),
    };
  }
}

/** One binding per object the exchange names: values of body pointers through lists are zipped item by item. */
function bindingsOf(link: LinkModel, exchange: ProducedExchange): Record<string, unknown>[] {
  const columns = link.parameters.map((p) => ({ name: p.name, values: valuesOf(p.source, exchange) }));
  if (columns.length === 0 || columns.some((c) => c.values.length === 0)) return [];
  const rows = Math.max(...columns.map((c) => c.values.length));
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < Math.min(rows, MAX_BINDINGS); i++) {
    // A single value (a path value passed through) goes with every item.
    out.push(Object.fromEntries(columns.map((c) => [c.name, c.values[c.values.length === 1 ? 0 : i]])));
  }
  return out.filter((row) => Object.values(row).every((v) => v !== undefined));
}

function describeLink(contract: Contract, link: LinkModel): string {
  const producer = contract.operations.find((o) => o.id === link.producer.operationId);
  const what = link.parameters.map((p) => p.name).join(', ');
  return producer ? `${producer.method.toUpperCase()} ${producer.path} → ${what}` : what;
}
