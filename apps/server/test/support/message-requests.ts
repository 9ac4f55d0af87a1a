import { randomUUID } from 'node:crypto';
import { conversationPageSchema, type Message } from '@chat/shared';
import { expect } from 'vitest';
import { bearer, type SignedIn } from './builders';
import type { TestApp } from './test-app';

export const idOf = (user: SignedIn): string => user.auth.user.id;

/** Sending and listing over HTTP as a user, against the server `http` reaches. */
export function messageRequests(http: TestApp['http']) {
  /** POST a message: 'hello' with a fresh clientMessageId, then `body`; the raw response. */
  const post = (user: SignedIn, conversationId: string, body: Record<string, unknown>) =>
    http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(user))
      .send({ content: 'hello', clientMessageId: randomUUID(), ...body });

  /** A send that must be accepted (201): the stored message. */
  const say = async (user: SignedIn, conversationId: string, body: Record<string, unknown> = {}) => {
    const res = await post(user, conversationId, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Message;
  };

  /** The conversation as it stands in `user`'s list (first 100); fails when it is not there. */
  const listed = async (user: SignedIn, conversationId: string) => {
    const page = conversationPageSchema.parse((await http().get('/api/conversations?limit=100').set(bearer(user)).expect(200)).body);
    const found = page.conversations.find((c) => c.id === conversationId);
    if (!found) throw new Error(`conversation ${conversationId} is not in the list of ${user.email}`);
    return found;
  };

  return { post, say, listed };
}
