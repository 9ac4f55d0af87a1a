import type { Message } from '@chat/shared';

/** Someone a message should be notified to. */
export interface NotifyTarget {
  userId: string;
  /** A direct message, or one that mentions them or everyone. */
  urgent: boolean;
  /** Whether the notification may show the message text (the user's push preview setting). */
  preview: boolean;
}

/**
 * Who gets notified of a message: every current participant but the sender whose level lets it
 * through ('all'; 'mentions' when it names them or everyone) and who has not muted the
 * conversation. For a thread reply, 'all' lets through only those who follow the thread. System messages notify nobody. Notification channels (push) depend on this port.
 */
export abstract class NotificationPolicy {
  /** `among`: only these users are asked about (a channel that can reach only them), so a large room costs O(among). */
  abstract targetsOf(message: Message, among?: readonly string[]): Promise<NotifyTarget[]>;
}
