import { PRESENCE_SHARING, type PresenceSharing, presenceSharingSchema, type UpdateUserSettingsRequest, type UserSettings } from '@chat/shared';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { z } from 'zod';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { ChevronLeftIcon } from '../../../components/ui/icons';
import { Spinner } from '../../../components/ui/spinner';
import { useZodForm } from '../../../hooks/use-zod-form';
import { genericErrorMessage } from '../../../lib/form-errors';
import { useAuth } from '../../auth';
import { useUpdateUserSettings, useUserSettings } from '../api/settings-api';
import { AccountSection } from './account-section';
import { NotificationsSection } from './notifications-section';

const visibilityLabels: Record<PresenceSharing, { label: string; hint: string }> = {
  everyone: { label: 'Everyone', hint: 'Anyone who looks you up sees when you are online and when you were last seen.' },
  friends: { label: 'People I chat with', hint: 'Only people who share a conversation with you.' },
  nobody: { label: 'Nobody', hint: 'You always appear offline, with no last seen.' },
};

/**
 * The form's view of the privacy settings. The server keeps presence as an on/off switch plus an
 * audience, where "off" and "nobody" mean the same to everyone else; the page offers one choice.
 */
const privacyFormSchema = z.object({ readReceiptsEnabled: z.boolean(), presenceVisibility: presenceSharingSchema });
type PrivacyFormValues = z.infer<typeof privacyFormSchema>;

function toFormValues(settings: UserSettings): PrivacyFormValues {
  return { readReceiptsEnabled: settings.readReceiptsEnabled, presenceVisibility: settings.presenceEnabled ? settings.presenceSharing : 'nobody' };
}

function toSettings(values: PrivacyFormValues): UpdateUserSettingsRequest {
  return {
    readReceiptsEnabled: values.readReceiptsEnabled,
    presenceEnabled: values.presenceVisibility !== 'nobody',
    presenceSharing: values.presenceVisibility,
  };
}

/** Account (display name, password), privacy (read receipts, presence) and notifications. */
export function SettingsPage() {
  const { user } = useAuth();
  const { data, status, error, refetch } = useUserSettings();
  return (
    <div className="min-h-0 flex-1 overflow-y-auto bg-slate-50">
      <div className="mx-auto max-w-2xl px-4 py-6 sm:px-6">
        <div className="mb-6 flex items-center gap-2">
          <Link
            to="/"
            aria-label="Back to conversations"
            className="inline-flex size-9 items-center justify-center rounded-lg text-slate-500 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            <ChevronLeftIcon />
          </Link>
          <h2 className="text-xl font-semibold tracking-tight text-slate-900">Settings</h2>
        </div>
        {status === 'pending' && (
          <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
            <Spinner className="size-4" /> Loading your settings…
          </p>
        )}
        {status === 'error' && (
          <div role="alert" className="space-y-3">
            <p className="text-sm text-slate-700">{genericErrorMessage(error)}</p>
            <Button variant="secondary" onClick={() => void refetch()}>
              Retry
            </Button>
          </div>
        )}
        <div className="space-y-6">
          {user && (
            <section aria-labelledby="account-heading" className="space-y-4">
              <h3 id="account-heading" className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
                Account
              </h3>
              <AccountSection user={user} />
            </section>
          )}
          {data && <SettingsForm settings={data} />}
          {data && user && <NotificationsSection settings={data} userId={user.id} />}
        </div>
      </div>
    </div>
  );
}

function SettingsForm({ settings }: { settings: UserSettings }) {
  const update = useUpdateUserSettings();
  const [saved, setSaved] = useState(false);
  const {
    register,
    handleSubmit,
    reset,
    formState: { isDirty, isSubmitting },
  } = useZodForm(privacyFormSchema, toFormValues(settings));

  useEffect(() => {
    if (!isDirty) reset(toFormValues(settings));
  }, [settings, isDirty, reset]);

  const onSubmit = handleSubmit(async (values) => {
    setSaved(false);
    const next = await update.mutateAsync(toSettings(values)).catch(() => null);
    if (next) {
      reset(toFormValues(next));
      setSaved(true);
    }
  });

  return (
    <form onSubmit={onSubmit} aria-label="Privacy settings" className="space-y-4">
      <h3 id="privacy-heading" className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
        Privacy
      </h3>
      {update.isError && <Alert>{genericErrorMessage(update.error)}</Alert>}
      <section className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h4 className="text-sm font-semibold text-slate-900">Read receipts</h4>
        <label className="mt-3 flex items-start gap-3">
          <input
            type="checkbox"
            className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
            {...register('readReceiptsEnabled')}
          />
          <span>
            <span className="block text-sm font-medium text-slate-800">Send read receipts</span>
            <span className="block text-sm text-slate-600">When off, others don't see that you read their messages. Your unread counts still work.</span>
          </span>
        </label>
      </section>

      <section className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <fieldset>
          <legend className="text-sm font-semibold text-slate-900">Who can see when you're online</legend>
          <div className="mt-3 space-y-2">
            {PRESENCE_SHARING.map((value) => (
              <label key={value} className="flex items-start gap-3 rounded-xl p-2 ring-1 ring-slate-200 has-checked:bg-indigo-50 has-checked:ring-indigo-300">
                <input
                  type="radio"
                  value={value}
                  className="mt-0.5 size-4 border-slate-300 text-indigo-600 focus:ring-indigo-600"
                  {...register('presenceVisibility')}
                />
                <span>
                  <span className="block text-sm font-medium text-slate-800">{visibilityLabels[value].label}</span>
                  <span className="block text-xs text-slate-600">{visibilityLabels[value].hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      </section>

      <div className="flex items-center justify-end gap-3">
        {saved && !isDirty && (
          <p role="status" className="text-sm text-emerald-700">
            Settings saved
          </p>
        )}
        <Button type="submit" isLoading={isSubmitting} disabled={!isDirty}>
          Save privacy settings
        </Button>
      </div>
    </form>
  );
}
