// The presence room payloads, for the realtime layer's room moves; the event map holds them all.
export type { PresenceSharedEvent, PresenceWithdrawnEvent } from '../../common/events/domain-events';
