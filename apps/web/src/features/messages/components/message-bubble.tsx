import { memo, type ReactNode, useMemo, useState } from 'react';
import { ChatBubbleIcon, EllipsisVerticalIcon, FaceSmileIcon, PencilIcon, TrashIcon } from '../../../components/ui/icons';
import { PopoverMenu } from '../../../components/ui/popover-menu';
import { cn } from '../../../lib/cn';
import { MessageAttachments } from '../../files';
import { formatFullDateTime } from '../../../lib/relative-time';
import { isEditable } from '../lib/edit-window';
import { type MentionCandidate, mentionChips, mentionsUser } from '../lib/mentions';
import type { ChatMessage } from '../lib/message-cache';
import { InlineMessageEditor } from './inline-message-editor';
import { MessageReactions } from './message-reactions';
import { UnsentMessageNotice } from './unsent-message-notice';
import { MessageText } from './message-text';
import { ThreadSummaryLine } from './thread-summary-line';

const NO_NAMES: ReadonlyMap<string, string> = new Map();
const NO_CANDIDATES: readonly MentionCandidate[] = [];

// Hover-only where there is a mouse on a wide screen; always visible on touch and phones.
const HOVER_ACTION =
  'transition-opacity focus-within:opacity-100 md:pointer-fine:opacity-0 md:pointer-fine:group-hover:opacity-100 md:pointer-fine:group-focus-within:opacity-100';

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

export interface MessageBubbleProps {
  message: ChatMessage;
  own: boolean;
  /** Groups name the sender above the first of a run of their messages. */
  showSender: boolean;
  /** Own messages only: the other side has read it (double check). */
  read?: boolean;
  /** Display names by user id (members, senders), for the mention chips. */
  names?: ReadonlyMap<string, string>;
  /** Whose mentions are highlighted. */
  currentUserId?: string;
  /** Who `@` can name while editing: the current members other than the writer. */
  mentionCandidates?: readonly MentionCandidate[];
  /** Whether `@everyone` is offered while editing. */
  everyoneAllowed?: boolean;
  onRetry?: (message: ChatMessage) => void;
  /** Deletes a failed (never stored) message. */
  onDiscard?: (message: ChatMessage) => void;
  onEdit?: (message: ChatMessage, content: string) => Promise<unknown>;
  onDelete?: (message: ChatMessage) => void;
  onInfo?: (message: ChatMessage) => void;
  /** Opens the message's thread (the menu's "Reply in thread" and the "N replies" line); left out where threads do not apply. */
  onOpenThread?: (message: ChatMessage) => void;
  /** Shown under the bubble ("Read by 3"). */
  footer?: ReactNode;
  /** Controlled editing (Up in the composer edits the last own message); uncontrolled when left out. */
  editing?: boolean;
  onEditingChange?: (message: ChatMessage, editing: boolean) => void;
}

export const MessageBubble = memo(function MessageBubble({
  message,
  own,
  showSender,
  read = false,
  names = NO_NAMES,
  currentUserId,
  mentionCandidates = NO_CANDIDATES,
  everyoneAllowed = false,
  onRetry,
  onDiscard,
  onEdit,
  onDelete,
  onInfo,
  onOpenThread,
  footer,
  editing: controlledEditing,
  onEditingChange,
}: MessageBubbleProps) {
  const [localEditing, setLocalEditing] = useState(false);
  const [picking, setPicking] = useState(false);
  const editing = controlledEditing ?? localEditing;
  const setEditing = (value: boolean) => (onEditingChange ? onEditingChange(message, value) : setLocalEditing(value));
  const deleted = message.deletedAt !== null;
  const delivered = message.status === 'delivered';
  const editable = own && isEditable(message, message.senderId);
  const chips = useMemo(() => mentionChips(message.mentions, names, currentUserId, own), [message.mentions, names, currentUserId, own]);
  const mentionsMe = !own && !deleted && mentionsUser(message.mentions, currentUserId);

  return (
    <div
      data-message-id={message.id}
      data-seq={delivered ? message.seq : undefined}
      data-status={own ? (delivered && read ? 'read' : message.status) : undefined}
      className={cn('group flex flex-col', own ? 'items-end' : 'items-start')}
    >
      {showSender && !own && <p className="mb-0.5 px-3 text-xs font-medium text-slate-500">{message.sender.displayName}</p>}
      <div className={cn('flex max-w-[85%] items-center gap-1 sm:max-w-[70%]', own && 'flex-row-reverse')}>
        <div
          className={cn(
            'min-w-0 rounded-2xl px-3.5 py-2 text-sm shadow-sm',
            own
              ? cn('rounded-br-md', message.status !== 'failed' && 'bg-indigo-600 text-white')
              : cn('rounded-bl-md bg-white text-slate-900', mentionsMe ? 'bg-amber-50 ring-2 ring-amber-400' : 'ring-1 ring-slate-200'),
            deleted && (own ? 'bg-indigo-300' : 'bg-slate-50 text-slate-500'),
            message.status === 'failed' && 'bg-red-50 text-red-900 ring-1 ring-red-600',
          )}
        >
          {editing && onEdit ? (
            <InlineMessageEditor
              initial={message.content}
              allowEmpty={message.attachments.length > 0}
              mentionCandidates={mentionCandidates}
              everyoneAllowed={everyoneAllowed}
              inThread={message.threadRootId !== null}
              onCancel={() => setEditing(false)}
              onSave={async (content) => {
                if (content !== message.content) await onEdit(message, content);
                setEditing(false);
              }}
            />
          ) : deleted ? (
            <p className="italic">Message deleted</p>
          ) : (
            <>
              {mentionsMe && <span className="sr-only">Mentions you. </span>}
              <MessageAttachments attachments={message.attachments} inverted={own && message.status !== 'failed'} />
              {message.content && <MessageText content={message.content} inverted={own && message.status !== 'failed'} mentions={chips} />}
            </>
          )}
          <p
            className={cn(
              'mt-0.5 flex items-center justify-end gap-1 text-[0.6875rem] leading-4',
              message.status === 'failed' ? 'text-red-800' : own ? 'text-indigo-100' : 'text-slate-500',
            )}
          >
            {message.editedAt && !deleted && <span>edited</span>}
            <time dateTime={message.createdAt} title={formatFullDateTime(message.createdAt)}>
              {timeFormat.format(new Date(message.createdAt))}
            </time>
            {own && <DeliveryStatusIcon status={message.status} read={read} />}
          </p>
        </div>
        {!editing && !deleted && delivered && (
          <button
            type="button"
            aria-label="Add reaction"
            title="Add reaction"
            onClick={() => setPicking(true)}
            className={cn(
              'inline-flex size-8 shrink-0 items-center justify-center rounded-lg text-slate-500 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600',
              HOVER_ACTION,
            )}
          >
            <FaceSmileIcon className="size-4" />
          </button>
        )}
        {!editing && !deleted && delivered && (
          <PopoverMenu
            label="Message options"
            icon={<EllipsisVerticalIcon className="size-4" />}
            className={HOVER_ACTION}
            items={[
              // The clipboard API exists only on secure pages (HTTPS or localhost).
              { label: 'Copy text', onSelect: () => void navigator.clipboard.writeText(message.content), hidden: !navigator.clipboard },
              { label: 'Edit', icon: <PencilIcon className="size-4" />, onSelect: () => setEditing(true), hidden: !editable || !onEdit },
              // Read receipts and deleting are for the author's own messages.
              { label: 'Info', onSelect: () => onInfo?.(message), hidden: !own || !onInfo },
              {
                label: 'Reply in thread',
                icon: <ChatBubbleIcon className="size-4" />,
                onSelect: () => onOpenThread?.(message),
                hidden: !onOpenThread || message.threadRootId !== null,
              },
              { label: 'Delete', icon: <TrashIcon className="size-4" />, onSelect: () => onDelete?.(message), tone: 'danger', hidden: !own || !onDelete },
            ]}
          />
        )}
      </div>
      {!deleted && delivered && <MessageReactions message={message} own={own} picking={picking} onPickingChange={setPicking} />}
      {message.status === 'failed' && <UnsentMessageNotice message={message} onRetry={onRetry} onDiscard={onDiscard} />}
      {onOpenThread && message.thread && message.thread.replyCount > 0 && (
        <ThreadSummaryLine thread={message.thread} names={names} onOpen={() => onOpenThread(message)} />
      )}
      {footer}
    </div>
  );
});

function DeliveryStatusIcon({ status, read }: { status: ChatMessage['status']; read: boolean }) {
  if (status === 'sending') {
    return (
      <span title="Sending" className="inline-flex">
        <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" className="size-3.5" aria-hidden="true">
          <circle cx="8" cy="8" r="6" />
          <path d="M8 4.5V8l2.5 1.5" strokeLinecap="round" />
        </svg>
        <span className="sr-only">Sending</span>
      </span>
    );
  }
  if (status === 'failed') {
    return (
      <span title="Failed" className="inline-flex text-red-600">
        <svg viewBox="0 0 16 16" fill="currentColor" className="size-3.5" aria-hidden="true">
          <path
            fillRule="evenodd"
            d="M8 15A7 7 0 1 0 8 1a7 7 0 0 0 0 14Zm0-10a.75.75 0 0 1 .75.75v3a.75.75 0 0 1-1.5 0v-3A.75.75 0 0 1 8 5Zm0 6.5a.875.875 0 1 0 0-1.75.875.875 0 0 0 0 1.75Z"
            clipRule="evenodd"
          />
        </svg>
        <span className="sr-only">Failed</span>
      </span>
    );
  }
  return (
    <span title={read ? 'Read' : 'Delivered'} className={cn('inline-flex', read && 'text-sky-200')}>
      <svg
        viewBox="0 0 20 16"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.75"
        strokeLinecap="round"
        strokeLinejoin="round"
        className="h-3.5 w-4"
        aria-hidden="true"
      >
        <path d="M1.5 8.5 5 12l7-8" />
        {read && <path d="M8.5 11.5 9 12l7-8" />}
      </svg>
      <span className="sr-only">{read ? 'Read' : 'Delivered'}</span>
    </span>
  );
}
