/**
 * The last few errors this instance answered, for the ops console's "recent errors" panel: each
 * with its code, erpfront's own sentence (what the client was told, never the ERP's raw text, a
 * token or an internal URL) and the request id under which the log holds the detail.
 *
 * Fed by the two places that already decide what an error is: the GraphQL error policy (every
 * error whose detail it holds back for the log) and the request log (every answer of 500 and
 * above on any route). Bounded; this process only (in scale-out, each instance shows its own).
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
}

export class RecentErrors {
  readonly #max: number;
  readonly #events: ErrorEvent[] = [];

  constructor(options: { max?: number } = {}) {
    this.#max = options.max ?? 50;
  }

  /** Records one error. */
  record(event: ErrorEvent): void {
    this.#events.push({ ...event, message: bounded(event.message, 300), where: bounded(event.where, 200) });
    if (this.#events.length > this.#max) this.#events.splice(0, this.#events.length - this.#max);
  }

  /**
   * Records a failed HTTP answer, unless an error of the same request is already recorded (the
   * GraphQL policy's, with its code, is the better record of it).
   */
  recordAnswer(event: ErrorEvent): void {
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
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters to remove
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
