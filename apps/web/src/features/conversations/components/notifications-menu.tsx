import { type Conversation, NOTIFICATION_LEVELS, type UpdateConversationNotificationsRequest } from '@chat/shared';
import { useEffect, useId, useRef, useState } from 'react';
import { IconButton } from '../../../components/ui/icon-button';
import { BellIcon, BellSlashIcon } from '../../../components/ui/icons';
import { useNow } from '../../../hooks/use-now';
import { cn } from '../../../lib/cn';
import { useUserSettings } from '../../settings';
import { useUpdateNotifications } from '../api/use-conversation-mutations';
import { conversationErrorMessage } from '../lib/conversation-errors';
import { defaultLevelOf, isMuted, LEVEL_LABELS, MUTE_DURATIONS, mutedUntilLabel, muteRequest } from '../lib/notification-settings';

type LevelChoice = UpdateConversationNotificationsRequest['level'];

/**
 * The bell in the conversation header: a small non-modal panel with the level as native radio
 * buttons (arrow keys choose, as in any radio group) and the mute actions. Esc or a click outside
 * closes it and focus goes back to the bell.
 */
export function NotificationsMenu({ conversation }: { conversation: Conversation }) {
  const [open, setOpen] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const update = useUpdateNotifications(conversation.id);
  const settings = useUserSettings();
  const now = useNow();
  const { notifications } = conversation;
  const muted = isMuted(notifications, now);
  const defaultLevel = defaultLevelOf(conversation, settings.data?.notificationDefaults);
  // The choice shows at once while it is saved, and falls back (with the error below) if saving fails.
  const selected: LevelChoice = update.isPending && update.variables ? update.variables.level : notifications.custom ? notifications.level : 'default';

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>('input:checked, button')?.focus();
    const closeOnOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !triggerRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOnOutside);
    return () => document.removeEventListener('pointerdown', closeOnOutside);
  }, [open]);

  const close = () => {
    setOpen(false);
    update.reset();
    triggerRef.current?.focus();
  };

  const save = (changes: UpdateConversationNotificationsRequest) => update.mutate(changes);
  // A mute is a one-off action, like a menu item: done, the panel closes. A level stays open to show the choice.
  const saveMute = (mutedUntil: string | null) => update.mutate(muteRequest(notifications, mutedUntil), { onSuccess: close });

  const choices: { value: LevelChoice; label: string }[] = [
    ...NOTIFICATION_LEVELS.map((level) => ({ value: level, label: LEVEL_LABELS[level] })),
    { value: 'default', label: defaultLevel ? `Use default (${LEVEL_LABELS[defaultLevel]})` : 'Use default' },
  ];

  return (
    <div className="relative">
      <IconButton
        ref={triggerRef}
        label={muted ? 'Notifications (muted)' : 'Notifications'}
        icon={muted ? <BellSlashIcon /> : <BellIcon />}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => (open ? close() : setOpen(true))}
        className={cn(open && 'bg-slate-100 text-slate-700')}
      />
      {open && (
        <div
          ref={panelRef}
          id={panelId}
          role="dialog"
          aria-label="Notifications"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            event.stopPropagation();
            close();
          }}
          className="absolute right-0 top-full z-30 mt-1.5 w-72 max-w-[calc(100vw-1rem)] rounded-xl bg-white p-3 shadow-lg ring-1 ring-slate-900/10 motion-safe:animate-pop-in origin-top-right"
        >
          <fieldset disabled={update.isPending}>
            <legend className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">Notify me about</legend>
            <div className="space-y-0.5">
              {choices.map((choice) => (
                <label
                  key={choice.value}
                  className="flex cursor-pointer items-center gap-2.5 rounded-lg px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100 has-[:focus-visible]:bg-slate-100"
                >
                  <input
                    type="radio"
                    name={`${panelId}-level`}
                    value={choice.value}
                    checked={selected === choice.value}
                    onChange={() => save({ level: choice.value })}
                    className="size-4 accent-indigo-600"
                  />
                  {choice.label}
                </label>
              ))}
            </div>
          </fieldset>

          <div role="group" aria-label="Mute" className="mt-2 border-t border-slate-200 pt-2">
            {muted && notifications.mutedUntil ? (
              <>
                <p className="flex items-center gap-2 px-2 py-1.5 text-sm font-medium text-slate-700">
                  <BellSlashIcon className="size-4 text-slate-400" />
                  {mutedUntilLabel(notifications.mutedUntil, now)}
                </p>
                <MenuButton label="Unmute" disabled={update.isPending} onClick={() => saveMute(null)} />
              </>
            ) : (
              MUTE_DURATIONS.map((duration) => (
                <MenuButton
                  key={duration.label}
                  label={duration.label}
                  disabled={update.isPending}
                  onClick={() => saveMute(new Date(Date.now() + duration.ms).toISOString())}
                />
              ))
            )}
          </div>

          {update.isError && (
            <p role="alert" className="mt-2 rounded-lg bg-red-50 px-2 py-1.5 text-sm text-red-700">
              {conversationErrorMessage(update.error)}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function MenuButton({ label, onClick, disabled }: { label: string; onClick: () => void; disabled: boolean }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      className="flex w-full rounded-lg px-2 py-1.5 text-left text-sm font-medium text-slate-700 hover:bg-slate-100 focus:outline-none focus-visible:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60"
    >
      {label}
    </button>
  );
}
