/**
 * The last few errors this instance answered, for the ops console's "recent errors" panel: each
 * with its code, erpfront's own sentence (what the client was told, never the ERP's raw text, a
 * token or an internal URL) and the request id under which the log holds the detail.
 *
 * Fed by the two places that already decide what an error is: the GraphQL error policy (every
 * error that is the ERP's or erpfront's, not the caller's) and the request log (every answer of
 * 500 and above on any route). Repeats of the last error add to its count, so an outage is one
 * line and not the whole list. Bounded; this process only (in scale-out, each instance its own).
 *
 * @module
 */

export interface ErrorEvent {
  /** UTC ISO 8601. */
  at: string;
  /** `extensions.code` for GraphQL, `HTTP_<status>` for another route. */
  code: string;
  /** What the client was told (GraphQL), or the route (HTTP). Bounded. */
  message: string;
  /** The request's id (X-Request-Id): the log's lines of that request carry it. */
  requestId: string | null;
  /** Where: the GraphQL field path, or the HTTP method and path. Bounded. */
  where: string;
  /** How many times in a row it happened (an outage answers the same error to every request): this is the last. */
  count: number;
}

export class RecentErrors {
  readonly #max: number;
  readonly #events: ErrorEvent[] = [];

  constructor(options: { max?: number } = {}) {
    this.#max = options.max ?? 50;
  }

  /** Records one error; the same error at the same place as the last one adds to its count instead. */
  record(event: Omit<ErrorEvent, 'count'>): void {
    const entry: ErrorEvent = { ...event, message: bounded(event.message, 300), where: bounded(event.where, 200), count: 1 };
    const last = this.#events.at(-1);
    if (last && last.code === entry.code && last.where === entry.where) {
      this.#events[this.#events.length - 1] = { ...entry, count: last.count + 1 };
      return;
    }
    this.#events.push(entry);
    if (this.#events.length > this.#max) this.#events.splice(0, this.#events.length - this.#max);
  }

  /**
   * Records a failed HTTP answer, unless an error of the same request is already recorded (the
   * GraphQL policy's, with its code, is the better record of it).
   */
  recordAnswer(event: Omit<ErrorEvent, 'count'>): void {
    if (event.requestId !== null && this.#events.some((e) => e.requestId === event.requestId)) return;
    this.record(event);
  }

  /** Newest first. */
  list(): ErrorEvent[] {
    return [...this.#events].reverse();
  }
}

/** At most `max` characters, control characters shown as spaces. */
function bounded(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
