// Bounds the work of ICAL.js's recurrence iterator; app layer (calendar import).
// A rule such as FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30 never yields, and ICAL.js then loops inside a
// single next() call, so the steps are counted where the iterator checks a candidate against the rule.
import ICAL from 'ical.js'

/** Thrown from inside the iterator when a budget is spent; caught per event by the expansion. */
export class RecurrenceBudgetExceeded extends Error {
  constructor(readonly scope: 'event' | 'calendar') {
    super(`recurrence budget of the ${scope} spent`)
    this.name = 'RecurrenceBudgetExceeded'
  }
}

/** Steps of the recurrence iterator allowed for one event and for one whole calendar. */
export class RecurrenceBudget {
  readonly perEvent: number
  readonly total: number
  #eventSteps = 0
  #totalSteps = 0

  constructor(limits: { readonly perEvent: number; readonly total: number }) {
    this.perEvent = limits.perEvent
    this.total = limits.total
  }

  startEvent(): void {
    this.#eventSteps = 0
  }

  step(): void {
    this.#eventSteps += 1
    this.#totalSteps += 1
    if (this.#totalSteps > this.total) throw new RecurrenceBudgetExceeded('calendar')
    if (this.#eventSteps > this.perEvent) throw new RecurrenceBudgetExceeded('event')
  }
}

/**
 * Runs `run` with every step of every recurrence iterator charged to `budget`. The hook is on the
 * shared prototype, so it is removed before returning; `run` is synchronous, so no other caller
 * can observe it.
 */
export const withRecurrenceBudget = <T>(budget: RecurrenceBudget, run: () => T): T => {
  const prototype = ICAL.RecurIterator.prototype
  const original = prototype.check_contracting_rules
  prototype.check_contracting_rules = function (this: InstanceType<typeof ICAL.RecurIterator>) {
    budget.step()
    return original.call(this)
  }
  try {
    return run()
  } finally {
    prototype.check_contracting_rules = original
  }
}
