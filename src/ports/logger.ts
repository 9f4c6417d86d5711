/**
 * The logger port: where the core reports what an operator must see (a duplicate ERP order, an
 * authorization that could not be voided). The entry passes one in; the core never writes to the
 * console itself.
 *
 * @module
 */
export interface Logger {
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}
