import { describe, expect, it } from 'vitest';
import { makeUser } from './support/builders';
import { useFakeWebDist, useTestApp } from './support/test-app';

describe('one process serves everything', () => {
  const webDist = useFakeWebDist();
  const t = useTestApp({ WEB_DIST: webDist, REGISTER_RATE_LIMIT: '3' });

  it('answers liveness and readiness with every check ok', async () => {
    expect((await t.http().get('/health/live')).body).toEqual({ status: 'alive' });
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });

  it('serves the web app at / with an SPA fallback for client routes, but not for API paths', async () => {
    const root = await t.http().get('/').set('Accept', 'text/html');
    expect(root.status).toBe(200);
    expect(root.text).toContain('<div id="root">');
    const deepLink = await t.http().get('/c/some-conversation').set('Accept', 'text/html');
    expect(deepLink.text).toContain('<div id="root">');
    expect((await t.http().get('/app.js')).text).toContain('console.log');

    const unknownApi = await t.http().get('/api/nope').set('Accept', 'text/html');
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('serves Swagger UI and its JSON', async () => {
    expect((await t.http().get('/api/docs')).text).toMatch(/swagger/i);
    const json = await t.http().get('/api/docs-json');
    expect(json.body.openapi).toMatch(/^3\./);
    expect(json.body.paths).toHaveProperty(['/health/ready']);
  });

  it('limits sign-ups per IP address (REGISTER_RATE_LIMIT) with 429 and Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await t.http().post('/api/auth/register').send(makeUser())).status).toBe(201);
    const blocked = await t.http().post('/api/auth/register').send(makeUser());
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
