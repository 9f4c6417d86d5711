import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../src/config/env.ts';

describe('parseEnv', () => {
  it('has working defaults for the embedded sandbox setup', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 8787, SANDBOX_PORT: 8788, ERP_CONNECTOR: 'sandbox', MAX_SKUS_PER_QUERY: 250, FRESHNESS_PRICES_SECONDS: 300, FRESHNESS_AVAILABILITY_SECONDS: 20, FRESHNESS_CREDIT_SECONDS: 60 });
  });

  it('reports every wrong variable at once, with what was expected and what it got', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'eighty', ERP_URL: 'not a url', ERP_CONNECTOR: 'sap', AUTH_JWT_SECRET: 'short', ALLOW_SPLIT_SHIPMENTS: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.find((p) => p.startsWith('PORT'))).toContain('"eighty"');
    expect(problems.find((p) => p.startsWith('ERP_URL'))).toContain('URL');
    expect(problems.find((p) => p.startsWith('ERP_CONNECTOR'))).toContain('sandbox');
    expect(problems.find((p) => p.startsWith('AUTH_JWT_SECRET'))).toContain('32');
    expect(problems.find((p) => p.startsWith('ALLOW_SPLIT_SHIPMENTS'))).toContain('true or false');
  });

  it('refuses to start in production without a signing secret', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET: required in production/);
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ PORT: '' }).PORT).toBe(8787);
  });
});
