/**
 * The console session store port: who is logged in to the ops console (`/ops`), server side.
 *
 * The browser holds only an opaque random session id (an HttpOnly cookie); the store keeps what
 * it stands for, under a SHA-256 of that id (`key`), so a copy of the store cannot be replayed as
 * cookies. Sessions end at `expiresAt` (the store forgets them by then) or at logout.
 *
 * Scale-out: Redis, so a session works on every instance behind the load balancer. Embedded and
 * memory: this process only (one process serves the console; a restart asks operators to log in
 * again). Every adapter runs `test/contract/console-session-store.contract.ts`.
 *
 * @module
 */

export interface ConsoleSession {
  /** The operator: the ops token's subject. */
  subject: string;
  /** The per-session CSRF token every form of the console carries back. */
  csrf: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms: the session is unknown from then on. */
  expiresAt: number;
}

export interface ConsoleSessionStore {
  /** Stores a session under `key` until its `expiresAt`. */
  put(key: string, session: ConsoleSession): Promise<void>;
  /** The session under `key`, or `null` when there is none or it has expired by `now`. */
  get(key: string, now: number): Promise<ConsoleSession | null>;
  /** Ends the session under `key` (nothing when there is none). */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
