/**
 * A connector as the core sees it, and how a connector is built from what its ERP offers.
 *
 * A connector declares its capabilities ({@link ErpConnectorDefinition}); `defineErpConnector`
 * turns the declaration into the flat {@link ErpConnector} the core calls. A method of a capability
 * the connector lacks is not written by the connector at all: it rejects with `ERP_NOT_SUPPORTED`
 * naming the method, the connector and (when the connector says) why its ERP lacks it.
 *
 * @module
 */
import { ErpError } from '../erp-error.ts';
import { ERP_CAPABILITIES, ERP_METHODS, ERP_METHOD_NAMES, type ErpCapabilities, type ErpCapability, type ErpMethods } from './capabilities.ts';
import type { ErpOrderEntry, ErpOrders } from './orders.ts';

/** What a connector is besides its methods. */
export interface ErpConnectorInfo extends ErpOrderEntry {
  /** Short name for logs and metrics, e.g. `"sandbox"`. */
  readonly name: string;
  /** The capabilities this connector has. A method of any other rejects with `ERP_NOT_SUPPORTED`. */
  readonly capabilities: ReadonlySet<ErpCapability>;
  /** Whether the connector has `capability`: ask before relying on an optional one. */
  supports(capability: ErpCapability): boolean;
}

/**
 * A connector to one ERP: every method of every capability, those it lacks rejecting with
 * `ERP_NOT_SUPPORTED`. Every connector passes the conformance suite in `test/contract/`.
 */
export interface ErpConnector extends ErpConnectorInfo, ErpMethods {}

/** What a connector is built from: its name, its capabilities, and why it lacks others. */
export type ErpConnectorDefinition = {
  /** Short name for logs and metrics, e.g. `"sandbox"`. */
  readonly name: string;
  /** Every connector answers a ping. */
  readonly health: ErpCapabilities['health'];
  /** Orders, with how the ERP treats a second order of one reference. */
  readonly orders?: ErpOrders & ErpOrderEntry;
  /**
   * Why the ERP lacks a capability, for the `ERP_NOT_SUPPORTED` message, e.g.
   * `{ salesReps: 'Tryton 6.0 assigns no customers to sales reps' }`.
   */
  readonly lacks?: Partial<Record<ErpCapability, string>>;
} & { readonly [C in Exclude<ErpCapability, 'health' | 'orders'>]?: ErpCapabilities[C] };

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** Builds the connector the core calls from a connector's declaration. */
export function defineErpConnector(definition: ErpConnectorDefinition): ErpConnector {
  const capabilities: ReadonlySet<ErpCapability> = new Set(ERP_CAPABILITIES.filter((c) => definition[c] !== undefined));
  const methods: Record<string, AnyMethod> = {};
  for (const method of ERP_METHOD_NAMES) {
    const { capability } = ERP_METHODS[method];
    const implementation = definition[capability] as Record<string, AnyMethod> | undefined;
    methods[method] = implementation
      ? implementation[method]!.bind(implementation)
      : async () => {
          throw notSupported(definition.name, method, capability, definition.lacks?.[capability]);
        };
  }
  return {
    name: definition.name,
    capabilities,
    supports: (capability) => capabilities.has(capability),
    resumesOrderEntry: definition.orders?.resumesOrderEntry ?? false,
    refusesDuplicateExternalRef: definition.orders?.refusesDuplicateExternalRef ?? false,
    ...(methods as unknown as ErpMethods),
  };
}

/** The error of a call to a capability the connector lacks. */
export function notSupported(connector: string, method: string, capability: ErpCapability, why?: string): ErpError {
  const because = why ? `: ${why}` : '';
  return new ErpError('ERP_NOT_SUPPORTED', `${method}: the ${connector} connector has no ${capability} capability${because}`, { operation: method });
}
