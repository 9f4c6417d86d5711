/**
 * Checking an ERP's answer against its zod schema before anything of it crosses the port. An
 * answer that does not fit becomes `ERP_BAD_RESPONSE` naming the first field that does not, never
 * a crash further in and never a wrong price.
 *
 * @module
 */
import type { z } from 'zod';
import { ErpError } from '../../../ports/erp-error.ts';

export interface WireCheck {
  /** The ERP operation, e.g. `getPrices`: the message starts with it. */
  operation: string;
  /** What was read, e.g. `Tryton's prices`, put before the field when given. */
  what?: string;
}

/**
 * The answer, parsed.
 * @throws {ErpError} `ERP_BAD_RESPONSE`, e.g. `getPrices: value[3].breaks[0].unitPrice: expected a decimal string`
 */
export function checkWire<T extends z.ZodType>(schema: T, data: unknown, check: WireCheck): z.output<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const [first, ...others] = parsed.error.issues;
  const where = first ? fieldPath(first.path) : 'response';
  const more = others.length > 0 ? ` (and ${others.length} more problem${others.length > 1 ? 's' : ''})` : '';
  const what = check.what ? `${check.what}: ` : '';
  throw new ErpError('ERP_BAD_RESPONSE', `${check.operation}: ${what}${where}: ${first?.message ?? 'unexpected shape'}${more}`, {
    cause: parsed.error,
    operation: check.operation,
  });
}

/** `['value', 3, 'breaks', 0, 'unitPrice']` -> `value[3].breaks[0].unitPrice`. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || 'response';
}
