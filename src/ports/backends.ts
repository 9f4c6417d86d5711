/**
 * The backends port: every store a deployment keeps state in, opened together. The embedded set
 * (memory + SQLite, one process), the scale-out set (Redis, many processes), the memory set (the
 * Workers read path) and the Durable Object set (Workers with orders) each open theirs through one
 * function.
 *
 * @module
 */
import type { ApplicationStore } from './application-store.ts';
import type { AuditLog } from './audit-log.ts';
import type { CacheStore } from './cache-store.ts';
import type { ConsoleSessionStore } from './console-session-store.ts';
import type { InvalidationBus } from './cache-invalidation.ts';
import type { CompanyStore } from './company-store.ts';
import type { CursorStore } from './cursor-store.ts';
import type { CustomerActivityStore } from './customer-activity.ts';
import type { DeliveryLog } from './delivery-log.ts';
import type { ErpBudget } from './erp-budget.ts';
import type { FindingStore } from './finding-store.ts';
import type { OrderStore } from './order-store.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { PunchOutStore } from './punchout-store.ts';
import type { ThrottleStore } from './throttle-store.ts';

export interface Backends {
  /** Which set runs: `embedded`, `scale-out`, `memory`, or `durable-objects` (Workers with orders). */
  readonly kind: 'embedded' | 'scale-out' | 'memory' | 'durable-objects';
  /** The durable order queue and idempotency keys; `null` where orders are not taken. */
  readonly orders: OrderStore | null;
  /** Company registrations and their outbox toward the ERP; `null` where nothing is durable. */
  readonly applications: ApplicationStore | null;
  /** The ERP-write outbox (quotes, returns); `null` where nothing is durable. */
  readonly outbox: OutboxStore | null;
  /** PunchOut sessions and order links. */
  readonly punchout: PunchOutStore;
  /** The ERP budget: this process's own, or one shared by every instance. */
  readonly budget: ErpBudget;
  /** Every caller's bucket of points: this process's own, or one per caller shared by every instance. */
  readonly throttle: ThrottleStore;
  /** The cache's shared second tier behind each process's LRU (scale-out only). */
  readonly sharedCache: CacheStore | null;
  /** Carries cache invalidations to every instance (scale-out only). */
  readonly invalidationBus: InvalidationBus | null;
  /** Webhook deliveries already acted on (ERP change events): this process's, or shared. */
  readonly deliveries: DeliveryLog;
  /** Polled feeds' positions (the ERP change feed's), durable where the set is, and who polls. */
  readonly cursors: CursorStore;
  /** What reconciliation found (and the duplicate check): durable where the set is, shared in scale-out. */
  readonly findings: FindingStore;
  /** Company buyer directories, approval rules and approval flows: durable where orders are. */
  readonly companies: CompanyStore;
  /** Customers acted for lately (the price sheet's scope): durable where the set is, shared in scale-out. */
  readonly activity: CustomerActivityStore;
  /** Every operations action (who, what, when, result): durable where the set is, shared in scale-out. */
  readonly audit: AuditLog;
  /** Ops console sessions: this process's (embedded, memory), or shared by every instance (scale-out). */
  readonly consoleSessions: ConsoleSessionStore;
  /**
   * Orders a crashed predecessor was submitting, released at open (in doubt) because this process
   * owns the store; 0 where leases are shared and run out instead (scale-out).
   */
  readonly recoveredOrders: number;
  /** Closes every store (and releases what the set holds: the DATA_DIR lock, connections). */
  close(): Promise<void>;
}
