import { Injectable } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { DomainEventBus, DomainEventsModule, OnDomainEvent } from './domain-event-bus';
import type { DomainEvents } from './domain-events';

@Injectable()
class RevokedSessions {
  readonly seen: string[] = [];

  @OnDomainEvent('auth.session-revoked')
  onRevoked({ sessionId }: DomainEvents['auth.session-revoked']): void {
    this.seen.push(sessionId);
  }
}

// Compile-time checks (tsc fails when one of these stops being an error).
class _MismatchedListener {
  // @ts-expect-error conversation.updated carries no userIds: a listener that needs them does not compile.
  @OnDomainEvent('conversation.updated')
  onUpdated({ userIds }: { conversationId: string; userIds: string[] }): void {
    void userIds;
  }
}

function _mismatchedEmit(bus: DomainEventBus): void {
  // @ts-expect-error a payload that does not match its event does not compile.
  bus.emit('auth.session-revoked', { userId: 'u-1' });
}

describe('DomainEventBus', () => {
  it('delivers an emitted payload to the listener of that event name', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [EventEmitterModule.forRoot(), DomainEventsModule],
      providers: [RevokedSessions],
    }).compile();
    await moduleRef.init();

    moduleRef.get(DomainEventBus).emit('auth.session-revoked', { sessionId: 's-1' });

    expect(moduleRef.get(RevokedSessions).seen).toEqual(['s-1']);
    await moduleRef.close();
  });
});
