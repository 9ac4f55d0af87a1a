import { Global, Injectable, Module } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import type { DomainEventName, DomainEvents } from './domain-events';

/** Emits domain events by name; the compiler checks each payload against DomainEvents. */
@Injectable()
export class DomainEventBus {
  constructor(private readonly emitter: EventEmitter2) {}

  emit<K extends DomainEventName>(name: K, payload: DomainEvents[K]): void {
    this.emitter.emit(name, payload);
  }
}

type Listener<K extends DomainEventName> = (payload: DomainEvents[K]) => void | Promise<void>;

/** @OnEvent for a domain event: a listener whose parameter does not accept the payload does not compile. */
export function OnDomainEvent<K extends DomainEventName>(name: K) {
  return <T extends Listener<K>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>) => {
    OnEvent(name)(target, key, descriptor);
  };
}

@Global()
@Module({ providers: [DomainEventBus], exports: [DomainEventBus] })
export class DomainEventsModule {}
