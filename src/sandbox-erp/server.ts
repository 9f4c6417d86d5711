/**
 * Serves the sandbox ERP over real HTTP on Node, for tests, demos and `npm start`.
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createSandboxApp } from './app.ts';
import { createWebhookSender, type WebhookTarget } from './webhook-sender.ts';

export { createSandboxApp, type SandboxAppOptions } from './app.ts';

export interface SandboxServerOptions {
  /** 0 picks any free port. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 42 */
  seed?: number;
  /** The ERP's own limit on a request (ms). @default 30000 */
  maxRequestMs?: number;
  /** Refuse a second order with the same external reference. @default false */
  uniqueExternalRefs?: boolean;
  /**
   * Where change webhooks go (SANDBOX_WEBHOOK_URL, SANDBOX_WEBHOOK_SECRET): a target, or a
   * function read at every delivery, so it can be set once the receiver listens. @default none
   */
  webhook?: WebhookTarget | (() => WebhookTarget | null);
}

export interface RunningSandbox {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8788`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the sandbox ERP; resolves once it listens. */
export function startSandboxErp(options: SandboxServerOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const webhook = options.webhook;
  const webhooks = createWebhookSender({ target: typeof webhook === 'function' ? webhook : () => webhook ?? null });
  const app = createSandboxApp({ seed: options.seed, maxRequestMs: options.maxRequestMs, uniqueExternalRefs: options.uniqueExternalRefs, webhooks });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, (info: AddressInfo) => {
      server.off('error', reject);
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${urlHost}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            webhooks.close();
            // Keep-alive sockets would hold close() open until they time out.
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
    server.once('error', reject);
  });
}
