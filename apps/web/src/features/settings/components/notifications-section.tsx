import {
  LARGE_GROUP_MIN,
  NOTIFICATION_LEVELS,
  type NotificationDefaults,
  type NotificationLevel,
  type UpdateUserSettingsRequest,
  type UserSettings,
} from '@chat/shared';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { Alert } from '../../../components/ui/alert';
import { Spinner } from '../../../components/ui/spinner';
import { genericErrorMessage } from '../../../lib/form-errors';
import { refetchAfterChange } from '../../../lib/query-cache';
import { conversationKeys } from '../../conversations';
import { useDesktopNotificationSetting, usePushToggle } from '../../notifications';
import { useUpdateUserSettings } from '../api/settings-api';

const levelLabels: Record<NotificationLevel, string> = { all: 'All messages', mentions: 'Only mentions', none: 'Nothing' };

const defaultRows: { key: keyof NotificationDefaults; label: string }[] = [
  { key: 'direct', label: 'Direct messages' },
  { key: 'group', label: 'Groups' },
  { key: 'largeGroup', label: `Groups of ${LARGE_GROUP_MIN} or more` },
];

const card = 'rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200';
const checkbox = 'mt-0.5 size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600 disabled:opacity-50';

function Toggle({
  checked,
  disabled,
  onChange,
  label,
  hint,
}: {
  checked: boolean;
  disabled?: boolean;
  onChange: (on: boolean) => void;
  label: string;
  hint: ReactNode;
}) {
  return (
    <label className="flex items-start gap-3">
      <input type="checkbox" className={checkbox} checked={checked} disabled={disabled} onChange={(event) => onChange(event.target.checked)} />
      <span>
        <span className="block text-sm font-medium text-slate-800">{label}</span>
        <span className="block text-sm text-slate-600">{hint}</span>
      </span>
    </label>
  );
}

/**
 * Notifications: what this browser does (desktop notifications while a tab is hidden, push when
 * none is open) and what the account holds (default levels, previews). Each change applies at once.
 */
export function NotificationsSection({ settings, userId }: { settings: UserSettings; userId: string }) {
  const queryClient = useQueryClient();
  const update = useUpdateUserSettings();
  const save = (changes: UpdateUserSettingsRequest, levelsChanged: boolean) =>
    update.mutate(changes, {
      // Conversations without a level of their own now follow another default.
      onSuccess: () => levelsChanged && void refetchAfterChange(queryClient, { queryKey: conversationKeys.all }),
    });

  return (
    <section aria-labelledby="notifications-heading" className="space-y-4">
      <h3 id="notifications-heading" className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
        Notifications
      </h3>
      {update.isError && <Alert>{genericErrorMessage(update.error)}</Alert>}
      <DeviceNotifications userId={userId} />

      <section className={card}>
        <fieldset>
          <legend className="text-sm font-semibold text-slate-900">Notify me by default about</legend>
          <p className="mt-1 text-sm text-slate-600">Conversations with a setting of their own keep it.</p>
          <div className="mt-3 space-y-3">
            {defaultRows.map(({ key, label }) => (
              <LevelSelect
                key={key}
                label={label}
                value={settings.notificationDefaults[key]}
                disabled={update.isPending}
                onChange={(level) => save({ notificationDefaults: { [key]: level } }, true)}
              />
            ))}
          </div>
        </fieldset>
      </section>

      <section className={card}>
        <h4 className="text-sm font-semibold text-slate-900">Message preview</h4>
        <div className="mt-3">
          <Toggle
            label="Show message text in notifications"
            hint="When off, notifications say who wrote, not what."
            checked={settings.pushPreview}
            disabled={update.isPending}
            onChange={(on) => save({ pushPreview: on }, false)}
          />
        </div>
      </section>
      {update.isPending && (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner className="size-4" /> Saving…
        </p>
      )}
    </section>
  );
}

function LevelSelect({
  label,
  value,
  disabled,
  onChange,
}: {
  label: string;
  value: NotificationLevel;
  disabled: boolean;
  onChange: (level: NotificationLevel) => void;
}) {
  const id = useId();
  return (
    <div className="flex items-center justify-between gap-3">
      <label htmlFor={id} className="min-w-0 flex-1 text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value as NotificationLevel)}
        className="rounded-lg border-slate-300 py-1.5 pr-8 pl-3 text-sm text-slate-800 focus:border-indigo-600 focus:ring-indigo-600 disabled:opacity-50"
      >
        {NOTIFICATION_LEVELS.map((level) => (
          <option key={level} value={level}>
            {levelLabels[level]}
          </option>
        ))}
      </select>
    </div>
  );
}

function DeviceNotifications({ userId }: { userId: string }) {
  const desktop = useDesktopNotificationSetting();
  const push = usePushToggle(userId);
  const blocked = 'Blocked by the browser. Allow notifications for this site in its settings, then turn this on.';
  return (
    <section className={card}>
      <h4 className="text-sm font-semibold text-slate-900">On this device</h4>
      <div className="mt-3 space-y-4">
        <Toggle
          label="Desktop notifications"
          hint={
            desktop.permission === 'unsupported'
              ? 'This browser cannot show notifications.'
              : desktop.permission === 'denied'
                ? blocked
                : 'While this tab is in the background, new messages that notify you show on your desktop.'
          }
          checked={desktop.enabled}
          disabled={desktop.permission === 'unsupported' || desktop.permission === 'denied'}
          onChange={(on) => void desktop.setEnabled(on)}
        />
        <Toggle
          label="Push notifications"
          hint={
            push.state === 'unsupported'
              ? 'This browser cannot receive push notifications.'
              : push.state === 'blocked'
                ? blocked
                : 'When no tab is open, or you have been away for a while, this device still gets notified.'
          }
          checked={push.state === 'on'}
          disabled={push.busy || push.state === 'loading' || push.state === 'unsupported' || push.state === 'blocked'}
          onChange={(on) => void push.toggle(on)}
        />
        {push.error !== null && (
          <Alert>
            Push notifications could not be {push.state === 'on' ? 'turned off' : 'turned on'}: {pushErrorMessage(push.error)}
          </Alert>
        )}
      </div>
    </section>
  );
}

function pushErrorMessage(error: unknown): string {
  // Browsers without a push service (or with it switched off) refuse the subscription itself.
  if (error instanceof DOMException) return 'this browser has no push service available.';
  return genericErrorMessage(error);
}
