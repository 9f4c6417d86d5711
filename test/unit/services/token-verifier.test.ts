import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/ports/logger.ts';
import { createTokenVerifier } from '../../../src/services/token-verifier.ts';

// Generated per run: no test carries a fixed secret.
const SECRET = randomBytes(32).toString('base64url');
const now = Math.floor(Date.now() / 1000);

function sign(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT({ sub: 'buyer@C0001', roles: ['buyer'], customerId: 'C0001', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(SECRET));
}

describe('createTokenVerifier (HS256)', () => {
  it('accepts a token that expires', async () => {
    const verify = createTokenVerifier({ secret: SECRET, logger: silentLogger });
    expect(await verify(await sign({ exp: now + 600 }))).toHaveProperty('principal.customerId', 'C0001');
  });

  it('refuses a token without exp', async () => {
    const verify = createTokenVerifier({ secret: SECRET, logger: silentLogger });
    expect(await verify(await sign({}))).toEqual({ problem: expect.stringContaining('exp') });
  });

  it('checks the issuer and audience when they are configured', async () => {
    const verify = createTokenVerifier({ secret: SECRET, issuer: 'https://idp.example/', audience: 'erpfront', logger: silentLogger });
    expect(await verify(await sign({ exp: now + 600, iss: 'https://idp.example/', aud: 'erpfront' }))).toHaveProperty('principal');
    expect(await verify(await sign({ exp: now + 600, iss: 'https://idp.example/', aud: ['other', 'erpfront'] }))).toHaveProperty('principal');
    expect(await verify(await sign({ exp: now + 600, iss: 'https://evil.example/', aud: 'erpfront' }))).toEqual({ problem: expect.stringContaining('iss') });
    expect(await verify(await sign({ exp: now + 600, iss: 'https://idp.example/', aud: 'other' }))).toEqual({ problem: expect.stringContaining('aud') });
    expect(await verify(await sign({ exp: now + 600 }))).toHaveProperty('problem');
  });

  it('refuses a token signed with "none" or another secret', async () => {
    const verify = createTokenVerifier({ secret: SECRET, logger: silentLogger });
    const [header, payload] = (await sign({ exp: now + 600 })).split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(await verify(none)).toHaveProperty('problem');
    expect(await verify(`${header}.${payload}.${'A'.repeat(43)}`)).toEqual({ problem: expect.stringContaining('signature') });
  });

  it('remembers a verified token until its exp, never after; a token refused is refused again', async () => {
    let clock = now * 1000;
    const verify = createTokenVerifier({ secret: SECRET, logger: silentLogger, now: () => clock });
    const token = await sign({ exp: now + 60 });
    const first = await verify(token);
    expect(first).toHaveProperty('principal.customerId', 'C0001');
    // Remembered: the same principal, not a second verification.
    clock += 30_000;
    expect(((await verify(token)) as { principal: unknown }).principal).toBe((first as { principal: unknown }).principal);
    // Past exp (and the clock tolerance): checked again, and refused.
    clock = (now + 60 + 31) * 1000;
    expect(await verify(token)).toEqual({ problem: expect.stringContaining('expired') });
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    clock = now * 1000;
    expect(await verify(forged)).toHaveProperty('problem');
    expect(await verify(forged)).toHaveProperty('problem');
  });
});
