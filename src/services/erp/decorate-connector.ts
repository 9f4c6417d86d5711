/**
 * One decorator for every ERP connector: each method of each capability the connector has is
 * wrapped in the same chain of links, each link an `around(call, next)` that knows which call it
 * wraps (method, capability, priority, key count) and nothing of the method itself. The budget,
 * the circuit breaker and the metrics are such links (`guard-links.ts`, `meter-link.ts`); a log
 * line per ERP call would be one more.
 *
 * The methods come from the port's table (`ERP_METHODS`), so a method added to the port is
 * wrapped without touching this file. A method of a capability the connector lacks is not wrapped:
 * it rejects with `ERP_NOT_SUPPORTED` at once, without a permit, a breaker verdict or a metric,
 * since the ERP is never asked.
 *
 * @module
 */
import {
  ERP_METHODS,
  ERP_METHOD_NAMES,
  type ErpCallOptions,
  type ErpCapability,
  type ErpConnector,
  type ErpMethodName,
  type ErpMethods,
  type ErpPriority,
} from '../../ports/erp-connector.ts';

/** One call of a connector method, as the links see it. */
export interface ErpCall {
  /** The method, e.g. `getPrices`: the operation named in errors, logs and metrics. */
  readonly operation: ErpMethodName;
  readonly capability: ErpCapability;
  /** The options the caller passed (signal, priority, send window), if any. */
  readonly options: ErpCallOptions | undefined;
  /** `options.priority`, `read` by default. */
  readonly priority: ErpPriority;
  /** How many keys a batch read asks for (`getPrices` of 30 keys: 30); `undefined` otherwise. */
  readonly keyCount: number | undefined;
  /**
   * Whether the call was handed to the connector: false while links are still deciding, and
   * for a call a link refused (the breaker, the send window). Only a sent call can have reached
   * the ERP.
   */
  readonly sent: boolean;
}

/** One concern around every ERP call. */
export interface ErpCallLink {
  /** For stack traces and debugging, e.g. `budget`. */
  readonly name: string;
  /**
   * Runs the call: work before, `next()` for the rest of the chain (and at its end the
   * connector), work after. Throwing without calling `next()` refuses the call.
   */
  around(call: ErpCall, next: () => Promise<unknown>): Promise<unknown>;
}

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * A connector whose every supported method runs through `links`, the first outermost: with
 * `[a, b]` a call runs `a` around `b` around the connector.
 */
export function decorateConnector(erp: ErpConnector, links: readonly ErpCallLink[]): ErpConnector {
  const methods: Record<string, AnyMethod> = {};
  for (const operation of ERP_METHOD_NAMES) {
    const { capability, arity, batch } = ERP_METHODS[operation];
    const method = (erp[operation] as AnyMethod).bind(erp);
    if (!erp.supports(capability)) {
      methods[operation] = method;
      continue;
    }
    methods[operation] = (...args) => {
      const options = args[arity - 1] as ErpCallOptions | undefined;
      const call = {
        operation,
        capability,
        options,
        priority: options?.priority ?? 'read',
        keyCount: batch ? (args[0] as readonly unknown[]).length : undefined,
        sent: false,
      };
      const run = async (index: number): Promise<unknown> => {
        const link = links[index];
        if (link) return link.around(call, () => run(index + 1));
        call.sent = true;
        return method(...args);
      };
      return run(0);
    };
  }
  return {
    name: erp.name,
    capabilities: erp.capabilities,
    supports: (capability) => erp.supports(capability),
    resumesOrderEntry: erp.resumesOrderEntry,
    refusesDuplicateExternalRef: erp.refusesDuplicateExternalRef,
    ...(methods as unknown as ErpMethods),
  };
}
