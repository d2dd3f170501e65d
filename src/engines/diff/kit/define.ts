import type { DiffContext, Direction, RuleDefinition, SchemaPair, Severity, Slot } from '../types.ts';

/** Everything of one kind a rule compares, collected from both contracts as slots. */
export type Aspect<T, H = unknown> = (ctx: DiffContext) => Iterable<Slot<T, H>>;

/** What happened to a slot between the two sides. */
export type SlotEvent = 'added' | 'removed' | 'changed' | 'kept';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function eventsOf(slot: Slot<unknown>): SlotEvent[] {
  if (!slot.old) return slot.new ? ['added'] : [];
  if (!slot.new) return ['removed'];
  return same(slot.old.value, slot.new.value) ? ['kept'] : ['changed', 'kept'];
}

/**
 * A rule over the slots of one aspect: it reports each slot whose event is one of `on` (and that
 * passes `when`). The change points at the thing on each side, or at its holder where it is absent.
 */
export function slotRule<T, H = unknown>(def: {
  title: string;
  severity: Severity;
  of: Aspect<T, H>;
  on: SlotEvent | SlotEvent[];
  when?: (slot: Slot<T, H>, ctx: DiffContext) => boolean;
  message: (slot: Slot<T, H>) => string;
}): RuleDefinition {
  const on = new Set(Array.isArray(def.on) ? def.on : [def.on]);
  return {
    title: def.title,
    severity: def.severity,
    *run(ctx) {
      for (const slot of def.of(ctx)) {
        if (!eventsOf(slot).some((e) => on.has(e)) || (def.when && !def.when(slot, ctx))) continue;
        yield {
          message: slot.where ? `${slot.where}: ${def.message(slot)}` : def.message(slot),
          oldPointer: slot.old?.pointer ?? slot.oldAt,
          newPointer: slot.new?.pointer ?? slot.newAt,
          operations: slot.operations,
        };
      }
    },
  };
}

/** What a schema check says about one pair: nothing, one message, or several. */
export type SchemaCheck = (pair: SchemaPair, ctx: DiffContext) => string | string[] | undefined;

/** A rule judging each pair of differing schema nodes (of one direction, or both); messages are prefixed with where the node is. */
export function schemaRule(def: { title: string; severity: Severity; direction?: Direction; check: SchemaCheck }): RuleDefinition {
  return {
    title: def.title,
    severity: def.severity,
    *run(ctx) {
      for (const pair of ctx.schemaPairs) {
        if (def.direction && pair.direction !== def.direction) continue;
        const found = def.check(pair, ctx);
        for (const message of found === undefined ? [] : Array.isArray(found) ? found : [found]) {
          yield { message: `${pair.where}: ${message}`, oldPointer: pair.oldPointer, newPointer: pair.newPointer, operations: [...pair.operations] };
        }
      }
    },
  };
}

export const show = (v: unknown): string => (v === undefined ? 'none' : JSON.stringify(v));
