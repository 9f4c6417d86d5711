/**
 * Capability `health`: whether the ERP answers at all. Every connector has it.
 *
 * @module
 */
import type { ErpCallOptions } from '../erp-connector.ts';

export interface ErpPing {
  /** Resolves when the ERP answers; rejects with an `ErpError` when it does not. */
  ping(options?: ErpCallOptions): Promise<void>;
}
