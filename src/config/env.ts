/**
 * Configuration from the environment, validated at start: every wrong variable is reported at
 * once, with what was expected, before erpfront serves anything.
 *
 * @module
 */
import { z } from 'zod';
import { checkAcrossVariables, withProductionDefaults } from './cross-variable-rules.ts';
import { bool, credentialFree, noCredentials, optionalBool, port, positiveInt, seconds } from './env-fields.ts';
import { shownValue } from './redacted-values.ts';
import { parseThrottleLimits } from './throttle-limits.ts';

const EnvVariables = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port(8787),
  SANDBOX_PORT: port(8788),
  SANDBOX_SEED: z.coerce.number().int().default(42),
  ERP_CONNECTOR: z
    .enum(['sandbox', 'tryton'], {
      message: 'expected "sandbox" or "tryton"',
    })
    .default('sandbox'),
  ERP_URL: z
    .url({ message: 'expected an http(s) URL such as http://127.0.0.1:8788' })
    .refine(credentialFree, { message: 'expected a URL without credentials: erpfront logs in with ERP_USERNAME and ERP_PASSWORD' })
    .optional(),
  /** The ERP user erpfront logs in as (Tryton). */
  ERP_USERNAME: z.string().min(1).optional(),
  ERP_PASSWORD: z.string().min(1).optional(),
  ERP_TIMEOUT_MS: positiveInt(5000),
  // Exactly once (README "Orders"): the longest the ERP may keep working on a request it received.
  ERP_MAX_REQUEST_SECONDS: z.coerce.number().positive().max(86_400).default(60),
  ERP_UNIQUE_EXTERNAL_REFS: bool(false),
  // Tryton 6.0's sale has no validity date: a quotation holds this many days from its sale date.
  TRYTON_QUOTE_VALIDITY_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  IDEMPOTENCY_CLAIM_SECONDS: z.coerce.number().min(1).max(3600).default(10),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().positive().max(86_400).default(10),
  // Reconciliation (README "Reconciliation"): erpfront's orders of the last RECONCILE_DAYS days
  // compared with the ERP every RECONCILE_EVERY_MINUTES (0: on demand only, runReconciliation).
  RECONCILE_EVERY_MINUTES: z.coerce
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .default(30),
  RECONCILE_DAYS: z.coerce.number().positive().max(365).default(7),
  // The ops console (README "Ops console"): how long a login lasts (capped by the ops token's own expiry).
  OPS_CONSOLE_SESSION_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(480),
  // Card payments (README "Orders"): verified with the gateway before an order is taken.
  PAYMENT_GATEWAY: z.enum(['sandbox', 'none'], { message: 'expected "sandbox" or "none"' }).optional(),
  PAYMENT_GATEWAY_URL: z.url({ protocol: /^https?$/, message: "expected the payment gateway's http(s) base URL" }).optional(),
  CREDIT_HOLD_ALLOWS_CARD: bool(false),
  ERP_MAX_BATCH: z.coerce.number().int().min(1).max(1000).default(250),
  AUTH_JWT_SECRET: z.string().min(32, { message: 'expected at least 32 characters (256 bits) for HS256' }).optional(),
  AUTH_JWKS_URL: z.url({ message: 'expected the https URL of a JWKS document' }).refine(credentialFree, noCredentials).optional(),
  // Checked in every token when set; required with AUTH_JWKS_URL (an identity provider issues for many APIs).
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  CACHE_MAX_ENTRIES: positiveInt(100_000),
  CACHE_MAX_MB: positiveInt(256),
  // Workers only: how often at most an isolate reads the cache invalidation log (README "Cloudflare Workers").
  CACHE_EVENTS_POLL_MS: positiveInt(1000),
  // Answers of repeated operations, per price scope (README "Response cache").
  RESPONSE_CACHE: bool(true),
  RESPONSE_CACHE_MAX_ENTRIES: positiveInt(10_000),
  RESPONSE_CACHE_MAX_MB: positiveInt(64),
  FRESHNESS_ITEMS_SECONDS: seconds(3600),
  FRESHNESS_PRICES_SECONDS: seconds(300),
  FRESHNESS_AVAILABILITY_SECONDS: seconds(20),
  FRESHNESS_CREDIT_SECONDS: seconds(60),
  STALE_WHILE_REVALIDATE_FRACTION: z.coerce.number().min(0).max(10).default(0.2),
  MAX_STALE_SECONDS: seconds(86_400),
  MAX_SKUS_PER_QUERY: z.coerce.number().int().min(1).max(1000).default(250),
  // Limits on a GraphQL document, checked before it is validated or run (README "Query limits and cost").
  QUERY_LIMITS: bool(true),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(3000),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).max(10_000).default(30),
  MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).max(10_000).default(50),
  MAX_FRAGMENT_SPREADS: z.coerce.number().int().min(0).max(100_000).default(100),
  // Unset: twice MAX_SKUS_PER_QUERY (two full product lists in one request).
  MAX_SKUS_PER_REQUEST: z.coerce.number().int().min(1).max(100_000).optional(),
  MAX_QUERY_COST: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  MAX_QUANTITY: z.coerce.number().positive().finite().default(1_000_000),
  ALLOW_SPLIT_SHIPMENTS: bool(true),
  ERP_MAX_CONCURRENT: z.coerce.number().int().min(1).max(1000).default(15),
  ERP_REQUESTS_PER_SECOND: z.coerce.number().positive().max(100_000).default(25),
  BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
  BREAKER_COOLDOWN_SECONDS: z.coerce.number().positive().default(10),
  ORDER_PRICE_MAX_AGE_SECONDS: seconds(3600),
  CREDIT_OVER_LIMIT: z.enum(['REVIEW', 'BLOCK'], { message: 'expected REVIEW or BLOCK' }).default('REVIEW'),
  ALLOW_BACKORDERS: bool(true),
  ORDER_SUBMIT_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  ORDER_MAX_LINES: z.coerce.number().int().min(1).max(1000).default(200),
  ORDER_DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(8),
  // How long an order waits for its company's approvers before the approval expires.
  APPROVAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(90 * 86_400)
    .default(7 * 86_400),
  // How often orders waiting for approval are checked for expiry (and approved ones carried on).
  APPROVAL_SWEEP_SECONDS: z.coerce.number().positive().max(86_400).default(60),
  // Company registrations (README "New customers"): what the ERP gives a customer ops approved,
  // in the ERP's own ids (sandbox: PL-RETAIL, NET30; Tryton: the price list's and payment term's ids).
  NEW_CUSTOMER_PRICE_LIST: z.string().trim().min(1).max(40).optional(),
  NEW_CUSTOMER_PAYMENT_TERMS: z.string().trim().min(1).max(40).optional(),
  // Registrations one user may have waiting for review or for the ERP at once.
  REGISTRATION_MAX_OPEN_PER_USER: z.coerce.number().int().min(1).max(100).default(3),
  // Returns (README "Quotes and returns"): the reason codes a buyer may give, comma-separated.
  RETURN_REASONS: z
    .string()
    .default('DAMAGED,DEFECTIVE,WRONG_ITEM,NOT_AS_DESCRIBED,NO_LONGER_NEEDED')
    .transform((s) => [
      ...new Set(
        s
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
      ),
    ])
    .refine((list) => list.length > 0 && list.every((r) => /^[A-Z][A-Z0-9_]{0,39}$/.test(r)), {
      message: 'expected comma-separated reason codes in UPPER_SNAKE (at most 40 characters each)',
    }),
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().min(24, { message: 'expected at least 24 (hours): buyers retry the next day' }).default(24),
  // Both default to on outside production and off in production (see withProductionDefaults).
  GRAPHIQL: optionalBool,
  GRAPHQL_INTROSPECTION: optionalBool,
  // gzip responses for clients that ask (mobile reps on cellular; a 48-SKU page is 30 KB of JSON).
  HTTP_COMPRESSION: bool(true),
  // PunchOut (README "PunchOut: setting up a buyer").
  PUNCHOUT_BUYERS_FILE: z.string().min(1).optional(),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: "expected erpfront's public http(s) base URL, e.g. https://erpfront.example.com" })
    .refine(credentialFree, noCredentials)
    .optional(),
  PUNCHOUT_START_URL: z
    .url({ protocol: /^https?$/, message: "expected the storefront's PunchOut landing URL, e.g. https://shop.example.com/punchout" })
    .refine(credentialFree, noCredentials)
    .optional(),
  PUNCHOUT_START_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  PUNCHOUT_SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(120),
  PUNCHOUT_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  // Reverse proxies in front of erpfront that append to X-Forwarded-For (0: none, trust no header).
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  PUNCHOUT_NOTIFY_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(5000),
  // E-invoice buyers: how often, and for how many days after an order is invoiced, its later credit memos (returns) are looked for.
  PUNCHOUT_CREDIT_MEMO_POLL_MS: z.coerce.number().int().min(50).max(86_400_000).default(3_600_000),
  PUNCHOUT_CREDIT_MEMO_DAYS: z.coerce.number().int().min(0).max(730).default(90),
  // Trusted documents and Automatic Persisted Queries (README "Trusted documents").
  TRUSTED_DOCUMENTS: z.enum(['off', 'allow', 'only'], { message: 'expected off, allow or only' }).default('allow'),
  TRUSTED_DOCUMENTS_FILE: z.string().min(1).optional(),
  TRUSTED_DOCUMENTS_MAX_MB: z.coerce.number().positive().max(256).default(8),
  APQ_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  APQ_MAX_MB: z.coerce.number().positive().max(1024).default(16),
  PERSISTED_GET_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
  // Scale-out (README "Run several instances"): with REDIS_URL, the cache's second tier, the ERP
  // budget, invalidations and the order queue are shared by every instance through Redis.
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379' }).optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[^{}\s]+$/, { message: 'expected a prefix without spaces or { }' })
    .default('erpfront'),
  REDIS_ALLOW_VOLATILE_ORDERS: bool(false),
  ORDER_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'expected letters, digits, - or _' })
    .default('orders'),
  ORDER_LEASE_SECONDS: z.coerce.number().positive().max(3600).default(30),
  ERP_BUDGET_LEASE_SECONDS: z.coerce.number().positive().max(3600).default(15),
  // Logs (README "Logs"): JSON lines on stdout; `debug` adds a line per ERP call that succeeded.
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { message: 'expected debug, info, warn or error' }).default('info'),
  // `pretty` for a person at a terminal (npm start's default); Workers always write JSON.
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'expected json or pretty' }).default('json'),
  // Traces (README "Traces"): exported over OTLP/HTTP when an endpoint is set, off otherwise.
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, message: "expected the OTLP/HTTP collector's base URL, e.g. http://127.0.0.1:4318 (spans go to its /v1/traces)" })
    .refine(credentialFree, { message: 'expected a URL without credentials: put them in OTEL_EXPORTER_OTLP_HEADERS' })
    .optional(),
  // erpfront's exporter speaks OTLP over HTTP with JSON bodies, which every collector accepts.
  OTEL_EXPORTER_OTLP_PROTOCOL: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('erpfront'),
  // The share of new traces recorded (parent-based: a caller's sampling decision is followed).
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1, { message: 'expected a ratio from 0 to 1' }).default(1),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(1).max(60_000).default(5000),
  // Throttling (README "Throttling"): a bucket of cost points per caller.
  THROTTLE: z
    .enum(['on', 'off'], { message: 'expected on or off' })
    .default('on')
    .transform((v) => v === 'on'),
  THROTTLE_LIMITS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const limits = parseThrottleLimits(text);
      if ('problems' in limits) {
        for (const problem of limits.problems) ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return limits;
    }),
  THROTTLE_MAX_BUCKETS: positiveInt(100_000),
  // Overload protection (README "Overload"): past these, reads are shed with 503 and Retry-After
  // (catalog reads first) while orders, order status and ops are still served. 0 turns a signal off.
  // The delay is the budget per turn of the event loop, in CPU time (an order takes about a dozen
  // turns). 100 ms, measured on 2 cores: nothing shed at full throughput (one client on 10
  // connections, also with other suites running), placeOrder p99 412 ms instead of 721 in a surge
  // of 100 connections. 50 holds orders tighter (250 ms) but sheds a few pages at full throughput.
  OVERLOAD_EVENT_LOOP_DELAY_MS: z.coerce.number().finite().min(0).max(60_000).default(100),
  MAX_INFLIGHT_REQUESTS: z.coerce.number().int().min(0).max(100_000).default(256),
  OVERLOAD_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  // ERP change events (README "Fresh within seconds"): Standard Webhooks secrets, space
  // separated (several while rotating), and how old a delivery's timestamp may be.
  ERP_WEBHOOK_SECRET: z.string().min(1).optional(),
  // At most Standard Webhooks' 5 minutes: the signature library refuses older deliveries itself.
  ERP_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(300).default(300),
  // ERPs without webhooks (Tryton): how often they are asked what changed; 0 turns it off.
  ERP_CHANGES_POLL_SECONDS: z.coerce.number().min(0).max(86_400).default(15),
  // The price sheet (README "A price sheet for outages"): the item master and the prices of the
  // customers acted for in the last PRICE_SHEET_ACTIVE_DAYS (and every PunchOut buyer's) kept
  // warm at the ERP budget's background priority, so an outage can still price and take orders.
  PRICE_SHEET: z
    .enum(['on', 'off'], { message: 'expected on or off' })
    .default('on')
    .transform((v) => v === 'on'),
  PRICE_SHEET_ACTIVE_DAYS: z.coerce.number().positive().max(365).default(7),
  // How old a kept price may be and still price (and order) while the ERP is down.
  PRICE_SHEET_MAX_AGE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(24),
  // A pass over the whole sheet starts this long after the previous one started.
  PRICE_SHEET_REFRESH_MINUTES: z.coerce
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(30),
  // The pace: at most PRICE_SHEET_CALLS_PER_TICK ERP calls every PRICE_SHEET_INTERVAL_SECONDS.
  PRICE_SHEET_INTERVAL_SECONDS: z.coerce.number().min(0.01).max(3600).default(2),
  PRICE_SHEET_CALLS_PER_TICK: z.coerce.number().int().min(1).max(1000).default(2),
  // Items per batch: one catalog page, and the SKUs of each price call.
  PRICE_SHEET_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The variables each as read alone, before the checks across variables and the defaults that depend on others. */
export type EnvVariables = z.output<typeof EnvVariables>;

const EnvSchema = EnvVariables.superRefine(checkAcrossVariables).transform(withProductionDefaults);

export type Env = z.output<typeof EnvSchema>;

/** Thrown when the environment does not describe a configuration erpfront can run with. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/**
 * Parses the environment. Empty strings count as unset, as shells and .env files produce them.
 * @throws {ConfigError} listing every invalid variable with what was expected
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const got = issue.path.length ? shownValue(String(issue.path[0]), cleaned[String(issue.path[0])]) : undefined;
        return `${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
      }),
    );
  }
  return parsed.data;
}
