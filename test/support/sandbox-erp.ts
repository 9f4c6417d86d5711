/**
 * Test plumbing for the sandbox ERP's own tests: an in-process sandbox over real HTTP with its
 * connector, reset before each test, and small clients for its API and control paths.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createSandboxConnector } from '../../src/adapters/erp/sandbox/index.ts';
import type { ErpConnector } from '../../src/ports/erp-connector.ts';
import { ErpError } from '../../src/ports/erp-error.ts';
import { startSandboxErp, type RunningSandbox } from '../../src/sandbox-erp/server.ts';

/** Resolves with the ErpError a call rejects with; fails the test if it resolves or throws anything else. */
export async function erpFailure(call: Promise<unknown>): Promise<ErpError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ErpError);
  return error as ErpError;
}

/** Registers the hooks of a file that drives one sandbox; use the returned accessors in tests. */
export function useSandboxErp() {
  let sandbox: RunningSandbox;
  let connector: ErpConnector;
  beforeAll(async () => {
    sandbox = await startSandboxErp({ port: 0 });
    connector = createSandboxConnector({ baseUrl: sandbox.url, timeoutMs: 5000 });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    expect((await post('/__control/reset', {})).status).toBe(200);
  });

  async function call(path: string, init?: RequestInit): Promise<{ status: number; body: any }> {
    const response = await fetch(`${sandbox.url}${path}`, init);
    return { status: response.status, body: await response.json() };
  }
  const get = (path: string) => call(path);
  const post = (path: string, body: unknown) => call(path, { method: 'POST', body: JSON.stringify(body) });
  return {
    get sandbox() {
      return sandbox;
    },
    get connector() {
      return connector;
    },
    call,
    get,
    post,
    setFaults: async (faults: Record<string, unknown>) => expect((await post('/__control/faults', faults)).status).toBe(200),
    heldOrders: async (): Promise<any[]> => (await get('/__control/orders')).body.orders,
  };
}
