/**
 * Object-level authorization in the stateful mocks, decided in one place: a caller may reach an
 * object that belongs to one user when it is their own, or when they hold the privilege over every
 * such object (an admin). Handlers ask `mayReach(req, {self, privileged})`; the kit answers the
 * operations that have no handler from the contract (`x-owned-by: {owner: …}` on the operation,
 * runtime.ts).
 *
 * The `ignores-ownership` fault (`POST /__control/faults {kind: 'ignores-ownership', operationId?}`)
 * lifts the rule for the matching operations, so the mock serves another user's objects as a broken
 * service would and the runner's `auth-other-user` check can be shown to notice.
 */
export interface Ownership {
  /** True when the `ignores-ownership` fault is on for the request's operation. */
  ignored: boolean;
}

/** Who asks, relative to the object: it is theirs (`self`), or they may reach everyone's (`privileged`). */
export interface Reach {
  self: boolean;
  privileged: boolean;
}

/** THE ownership rule; `req.ownership` is set by the kit for every request it hands a handler. */
export function mayReach(req: { ownership?: Ownership }, who: Reach): boolean {
  return who.self || who.privileged || req.ownership?.ignored === true;
}
