import { type Conversation, NOTIFICATION_LEVELS, type UpdateConversationNotificationsRequest } from '@chat/shared';
import { useId } from 'react';
import { BellIcon, BellSlashIcon } from '../../../components/ui/icons';
import { Popover } from '../../../components/ui/popover-menu';
import { useNow } from '../../../hooks/use-now';
import { useUserSettings } from '../../settings';
import { useUpdateNotifications } from '../api/use-conversation-mutations';
import { conversationErrorMessage } from '../lib/conversation-errors';
import { defaultLevelOf, isMuted, LEVEL_LABELS, MUTE_DURATIONS, mutedUntilLabel, muteRequest } from '../lib/notification-settings';

type LevelChoice = UpdateConversationNotificationsRequest['level'];

/**
 * The bell in the conversation header: a small non-modal panel with the level as native radio
 * buttons (arrow keys choose, as in any radio group) and the mute actions. Esc or a click outside
 * closes it (Popover) and focus goes back to the bell.
 */
export function NotificationsMenu({ conversation }: { conversation: Conversation }) {
  const radioName = useId();
  const update = useUpdateNotifications(conversation.id);
  const settings = useUserSettings();
  const now = useNow();
  const { notifications } = conversation;
  const muted = isMuted(notifications, now);
  const defaultLevel = defaultLevelOf(conversation, settings.data?.notificationDefaults);
  // The choice shows at once while it is saved, and falls back (with the error below) if saving fails.
  const selected: LevelChoice = update.isPending && update.variables ? update.variables.level : notifications.custom ? notifications.level : 'default';

  const save = (changes: UpdateConversationNotificationsRequest) => update.mutate(changes);
  // A mute is a one-off action, like a menu item: done, the panel closes. A level stays open to show the choice.
  const saveMute = (mutedUntil: string | null, close: (refocus: boolean) => void) =>
    update.mutate(muteRequest(notifications, mutedUntil), { onSuccess: () => close(true) });

  const choices: { value: LevelChoice; label: string }[] = [
    ...NOTIFICATION_LEVELS.map((level) => ({ value: level, label: LEVEL_LABELS[level] })),
    { value: 'default', label: defaultLevel ? `Use default (${LEVEL_LABELS[defaultLevel]})` : 'Use default' },
  ];

  return (
    <Popover
      label={muted ? 'Notifications (muted)' : 'Notifications'}
      icon={muted ? <BellSlashIcon /> : <BellIcon />}
      panelRole="dialog"
      panelLabel="Notifications"
      panelClassName="w-72 max-w-[calc(100vw-1rem)] p-3"
      initialFocus="input:checked, button"
      // A failed save's message belongs to that opening.
      onClose={update.reset}
    >
      {(close) => (
        <>
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
                    name={`${radioName}-level`}
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
                <MenuButton label="Unmute" disabled={update.isPending} onClick={() => saveMute(null, close)} />
              </>
            ) : (
              MUTE_DURATIONS.map((duration) => (
                <MenuButton
                  key={duration.label}
                  label={duration.label}
                  disabled={update.isPending}
                  onClick={() => saveMute(new Date(Date.now() + duration.ms).toISOString(), close)}
                />
              ))
            )}
          </div>

          {update.isError && (
            <p role="alert" className="mt-2 rounded-lg bg-red-50 px-2 py-1.5 text-sm text-red-700">
              {conversationErrorMessage(update.error)}
            </p>
          )}
        </>
      )}
    </Popover>
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
