import { PRESENCE_SHARING, type PresenceSharing, type UserSettings, userSettingsSchema } from '@chat/shared';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { ChevronLeftIcon } from '../../../components/ui/icons';
import { Spinner } from '../../../components/ui/spinner';
import { genericErrorMessage } from '../../../lib/form-errors';
import { useUpdateUserSettings, useUserSettings } from '../api/settings-api';

const sharingLabels: Record<PresenceSharing, { label: string; hint: string }> = {
  everyone: { label: 'Everyone', hint: 'Anyone who looks you up sees when you are online.' },
  friends: { label: 'Friends', hint: 'Friends are people you share a conversation with.' },
  nobody: { label: 'Nobody', hint: 'You always appear offline, with no last seen.' },
};

/** Privacy settings: read receipts and presence. */
export function SettingsPage() {
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
        {data && <SettingsForm settings={data} />}
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
    watch,
    formState: { isDirty, isSubmitting },
  } = useForm<UserSettings>({ resolver: zodResolver(userSettingsSchema), defaultValues: settings });

  useEffect(() => {
    if (!isDirty) reset(settings);
  }, [settings, isDirty, reset]);

  const presenceEnabled = watch('presenceEnabled');

  const onSubmit = handleSubmit(async (values) => {
    setSaved(false);
    const next = await update.mutateAsync(values).catch(() => null);
    if (next) {
      reset(next);
      setSaved(true);
    }
  });

  return (
    <form onSubmit={onSubmit} aria-label="Privacy settings" className="space-y-6">
      {update.isError && <Alert>{genericErrorMessage(update.error)}</Alert>}
      <section className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h3 className="text-sm font-semibold text-slate-900">Read receipts</h3>
        <label className="mt-3 flex items-start gap-3">
          <input type="checkbox" className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600" {...register('readReceiptsEnabled')} />
          <span>
            <span className="block text-sm font-medium text-slate-800">Send read receipts</span>
            <span className="block text-sm text-slate-500">When off, others don't see that you read their messages. Your unread counts still work.</span>
          </span>
        </label>
      </section>

      <section className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h3 className="text-sm font-semibold text-slate-900">Presence</h3>
        <label className="mt-3 flex items-start gap-3">
          <input type="checkbox" className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600" {...register('presenceEnabled')} />
          <span>
            <span className="block text-sm font-medium text-slate-800">Show when I'm online</span>
            <span className="block text-sm text-slate-500">When off, you always appear offline and nobody sees when you were last seen.</span>
          </span>
        </label>
        <fieldset className="mt-5" disabled={!presenceEnabled}>
          <legend className="text-sm font-medium text-slate-800">Who can see it</legend>
          <p className="text-sm text-slate-500">“Friends” means people you share a conversation with.</p>
          <div className="mt-3 space-y-2">
            {PRESENCE_SHARING.map((value) => (
              <label key={value} className="flex items-start gap-3 rounded-xl p-2 ring-1 ring-slate-200 has-checked:bg-indigo-50 has-checked:ring-indigo-300 has-disabled:opacity-60">
                <input type="radio" value={value} className="mt-0.5 size-4 border-slate-300 text-indigo-600 focus:ring-indigo-600" {...register('presenceSharing')} />
                <span>
                  <span className="block text-sm font-medium text-slate-800">{sharingLabels[value].label}</span>
                  <span className="block text-xs text-slate-600">{sharingLabels[value].hint}</span>
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
          Save changes
        </Button>
      </div>
    </form>
  );
}
