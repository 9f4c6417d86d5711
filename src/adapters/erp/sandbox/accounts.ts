/**
 * The sandbox connector's account calls: create a customer account, find one by the external
 * reference it was created with.
 *
 * Nothing here retries: a create that failed ambiguously may have been committed, and by default
 * the sandbox does not deduplicate by reference. A sandbox started with
 * SANDBOX_UNIQUE_EXTERNAL_REFS refuses a second account (409), answered with `ERP_DUPLICATE_REF`.
 *
 * @module
 */
import { z } from 'zod';
import type { CreatedCustomer, ErpAccountCreation, ErpCallOptions, NewCustomerRequest } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import type { HttpClient } from './http-client.ts';
import { key, parseWire, text } from './wire.ts';

const CreatedWire = z.object({ id: key, externalRef: key, name: text });
const CreatedListWire = z.object({ value: z.array(CreatedWire) });

/** The capability `accounts` over one HTTP client. */
export function accountCalls(http: HttpClient): ErpAccountCreation {
  return {
    /**
     * `POST /api/v1/accounts`, once. `ERP_REJECTED` (422: `UNKNOWN_PRICE_LIST`,
     * `UNKNOWN_PAYMENT_TERMS`) is final; a transient code leaves the account in doubt: look it
     * up with {@link findCustomerByExternalRef} before sending it again.
     */
    async createCustomer(request: NewCustomerRequest, options?: ErpCallOptions): Promise<CreatedCustomer> {
      const created = parseWire(CreatedWire, await http.post('createCustomer', '/api/v1/accounts', request, options), 'createCustomer');
      if (created.externalRef !== request.externalRef) {
        throw new ErpError(
          'ERP_BAD_RESPONSE',
          `createCustomer: the ERP answered account ${created.id} (ref ${created.externalRef}) for ${request.externalRef}`,
          {
            operation: 'createCustomer',
          },
        );
      }
      return created;
    },

    /** `GET /api/v1/accounts?externalRef=`: the first account created with this reference, or `null`. */
    async findCustomerByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<CreatedCustomer | null> {
      if (externalRef === '') throw new TypeError('findCustomerByExternalRef: expected a non-empty external reference');
      const answer = parseWire(
        CreatedListWire,
        await http.get('findCustomerByExternalRef', '/api/v1/accounts', { externalRef }, options),
        'findCustomerByExternalRef',
      );
      // Exact matches only, whatever the ERP's filter does with case.
      return answer.value.find((a) => a.externalRef === externalRef) ?? null;
    },
  };
}
