import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../src/config/env.ts';

describe('parseEnv', () => {
  it('has working defaults for the embedded sandbox setup', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 8787,
      SANDBOX_PORT: 8788,
      ERP_CONNECTOR: 'sandbox',
      MAX_SKUS_PER_QUERY: 250,
      FRESHNESS_PRICES_SECONDS: 300,
      FRESHNESS_AVAILABILITY_SECONDS: 20,
      FRESHNESS_CREDIT_SECONDS: 60,
    });
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

  it('TRUSTED_DOCUMENTS: allow by default; only needs the manifest it restricts buyers to', () => {
    expect(parseEnv({})).toMatchObject({ TRUSTED_DOCUMENTS: 'allow', APQ_MAX_ENTRIES: 5000, PERSISTED_GET_MAX_AGE_SECONDS: 5 });
    expect(() => parseEnv({ TRUSTED_DOCUMENTS: 'only' })).toThrow(/TRUSTED_DOCUMENTS: only needs TRUSTED_DOCUMENTS_FILE/);
    expect(parseEnv({ TRUSTED_DOCUMENTS: 'only', TRUSTED_DOCUMENTS_FILE: 'build/persisted-documents.json' }).TRUSTED_DOCUMENTS).toBe('only');
    expect(() => parseEnv({ TRUSTED_DOCUMENTS: 'some' })).toThrow(/TRUSTED_DOCUMENTS: expected off, allow or only/);
  });

  it('refuses to start in production without a signing secret', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET: required in production/);
  });

  it('with a JWKS, requires the issuer and audience and an https URL (http only to loopback in development)', () => {
    expect(() => parseEnv({ AUTH_JWKS_URL: 'https://idp.example.com/jwks' })).toThrow(/AUTH_JWT_ISSUER: required[\s\S]*AUTH_JWT_AUDIENCE: required/);
    const complete = { AUTH_JWT_ISSUER: 'https://idp.example.com/', AUTH_JWT_AUDIENCE: 'erpfront' };
    expect(parseEnv({ ...complete, AUTH_JWKS_URL: 'https://idp.example.com/jwks' }).AUTH_JWT_AUDIENCE).toBe('erpfront');
    expect(() => parseEnv({ ...complete, AUTH_JWKS_URL: 'http://idp.example.com/jwks' })).toThrow(/AUTH_JWKS_URL: expected an https:\/\/ URL/);
    expect(() => parseEnv({ ...complete, AUTH_JWKS_URL: 'http://127.0.0.1:9000/jwks', NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) })).toThrow(
      /AUTH_JWKS_URL/,
    );
    expect(() => parseEnv({ ...complete, AUTH_JWKS_URL: 'http://127.0.0.1:9000/jwks', NODE_ENV: 'test' })).toThrow(/AUTH_JWKS_URL/);
    expect(parseEnv({ ...complete, AUTH_JWKS_URL: 'http://127.0.0.1:9000/jwks', NODE_ENV: 'development' }).AUTH_JWKS_URL).toBe('http://127.0.0.1:9000/jwks');
  });

  it('takes one or more Standard Webhooks secrets in ERP_WEBHOOK_SECRET, and names a bad one without showing it', () => {
    const good = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const other = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;
    expect(parseEnv({ ERP_WEBHOOK_SECRET: `${good}  ${other}` }).ERP_WEBHOOK_SECRET).toBe(`${good}  ${other}`);
    for (const bad of ['my-secret-value', `whsec_${Buffer.alloc(8).toString('base64')}`, `${good} whsec_not*base64`]) {
      let error: unknown;
      try {
        parseEnv({ ERP_WEBHOOK_SECRET: bad });
      } catch (e) {
        error = e;
      }
      expect((error as ConfigError).problems).toHaveLength(1);
      expect((error as ConfigError).message).toContain('ERP_WEBHOOK_SECRET: secret');
      expect((error as ConfigError).message).not.toContain(bad.split(' ').at(-1));
    }
    expect(() => parseEnv({ ERP_WEBHOOK_TOLERANCE_SECONDS: '3600' })).toThrow(ConfigError);
  });

  it('query limits: defaults, the request-wide SKU total following the per-call one, and never below it', () => {
    expect(parseEnv({})).toMatchObject({
      QUERY_LIMITS: true,
      MAX_QUERY_TOKENS: 3000,
      MAX_QUERY_DEPTH: 12,
      MAX_QUERY_ALIASES: 30,
      MAX_QUERY_DIRECTIVES: 50,
      MAX_FRAGMENT_SPREADS: 100,
      MAX_SKUS_PER_REQUEST: 500,
      MAX_QUERY_COST: 10_000,
    });
    expect(parseEnv({ MAX_SKUS_PER_QUERY: '400' }).MAX_SKUS_PER_REQUEST).toBe(800);
    expect(parseEnv({ MAX_SKUS_PER_REQUEST: '300' }).MAX_SKUS_PER_REQUEST).toBe(300);
    expect(() => parseEnv({ MAX_SKUS_PER_REQUEST: '100' })).toThrow(/MAX_SKUS_PER_REQUEST: expected at least MAX_SKUS_PER_QUERY \(250\)/);
    expect(() => parseEnv({ MAX_QUERY_DEPTH: '1', MAX_QUERY_COST: '0' })).toThrow(/MAX_QUERY_DEPTH[\s\S]*MAX_QUERY_COST/);
  });

  it('exports traces only to an OTLP/HTTP endpoint it can reach as JSON, and samples by a ratio', () => {
    expect(parseEnv({}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(parseEnv({})).toMatchObject({ OTEL_SERVICE_NAME: 'erpfront', OTEL_TRACES_SAMPLER_ARG: 1, OTEL_BSP_SCHEDULE_DELAY: 5000 });
    expect(parseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe(
      'http://collector:4318',
    );
    expect(() => parseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT: expected the OTLP\/HTTP collector's base URL/,
    );
    expect(() => parseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:key@collector.example.com' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS/);
    // gRPC or protobuf would be sent JSON the collector does not expect on that port: said at start.
    expect(() => parseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL: expected http\/json/,
    );
    // Without an endpoint nothing is exported, whatever the rest of the environment says.
    expect(parseEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(() => parseEnv({ OTEL_TRACES_SAMPLER_ARG: '10' })).toThrow(/OTEL_TRACES_SAMPLER_ARG: expected a ratio from 0 to 1/);
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ PORT: '' }).PORT).toBe(8787);
  });

  describe('never shows a secret or the credentials of a URL', () => {
    const problemsOf = (source: Record<string, string>): string[] => {
      try {
        parseEnv(source);
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      throw new Error('expected a ConfigError');
    };

    it('names a too-short AUTH_JWT_SECRET and what is expected, not its value', () => {
      const [problem, ...rest] = problemsOf({ AUTH_JWT_SECRET: 'tiny-but-still-secret' });
      expect(rest).toEqual([]);
      expect(problem).toMatch(/^AUTH_JWT_SECRET: expected at least 32 characters/);
      expect(problem).not.toContain('tiny-but-still-secret');
    });

    it('keeps the password of an invalid REDIS_URL out of the message', () => {
      const problems = problemsOf({ REDIS_URL: 'http://erp-cache:hunter2-redis-pass@cache.internal:6379' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/);
      expect(problems[0]).not.toContain('hunter2-redis-pass');
      expect(problems[0]).not.toContain('erp-cache');
      expect(problems[0]).toContain('cache.internal'); // the rest still helps to find the mistake
    });

    it('keeps the credentials of an unparseable URL out of the message', () => {
      const problems = problemsOf({ REDIS_URL: 'redis://default:hunter2-redis-pass@127.0.0.1:notaport' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^REDIS_URL: /);
      expect(problems[0]).not.toContain('hunter2-redis-pass');
    });

    it('refuses credentials in an http URL (fetch would refuse them too) without echoing them', () => {
      const problems = problemsOf({
        ERP_URL: 'https://webstore:WebShopApi-2024x@erp.example.com/demo/',
        AUTH_JWKS_URL: 'https://idp:jwks-pass@idp.example.com/jwks',
        AUTH_JWT_ISSUER: 'https://idp.example.com/',
        AUTH_JWT_AUDIENCE: 'erpfront',
      });
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['AUTH_JWKS_URL', 'ERP_URL']);
      for (const problem of problems) {
        expect(problem).toMatch(/credentials/);
        expect(problem).not.toMatch(/WebShopApi-2024x|jwks-pass|webstore/);
      }
    });

    it('treats every *_SECRET, *_PASSWORD and *_TOKEN variable as secret', async () => {
      const { isSecretVariable } = await import('../../src/config/redacted-values.ts');
      for (const name of ['AUTH_JWT_SECRET', 'ERP_PASSWORD', 'SOME_API_TOKEN', 'WEBHOOK_SECRET']) expect(isSecretVariable(name)).toBe(true);
      for (const name of ['PORT', 'ERP_USERNAME', 'REDIS_URL']) expect(isSecretVariable(name)).toBe(false);
    });
  });
});
