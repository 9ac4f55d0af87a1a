import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createDirect, registerUsers } from './support/builders';
import { useTestApp } from './support/test-app';

describe('a search the database cannot answer in time', () => {
  const app = useTestApp();
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: app.infra.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  it('is cut short by its statement timeout and answered 503 in the error shape, never a hang or a 500', async () => {
    // A user with a conversation: one with none is answered without reading messages at all.
    const [user, peer] = await registerUsers(app, 2);
    await createDirect(app, user, peer);
    // Another transaction holds the messages table: the search waits on it until its statement timeout.
    await client.query('begin');
    await client.query('lock table messages in access exclusive mode');
    try {
      const res = await app.http().get('/api/search/messages').query({ q: 'hello' }).set(bearer(user));
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await client.query('rollback');
    }
    expect((await app.http().get('/api/search/messages').query({ q: 'hello' }).set(bearer(user))).status).toBe(200);
  });
});
