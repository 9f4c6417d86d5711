/** The workerd project runs its tests inside workerd, with wrangler.toml's configuration. */
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it("runs inside workerd, with wrangler.toml's vars bound", () => {
  expect(navigator.userAgent).toBe('Cloudflare-Workers');
  expect(env.ERP_CONNECTOR).toBe('sandbox');
  expect(env.CACHE_MAX_MB).toBe('32');
});
