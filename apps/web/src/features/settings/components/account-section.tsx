import { changePasswordRequestSchema, updateProfileRequestSchema, type User } from '@chat/shared';
import { useState } from 'react';
import { z } from 'zod';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { PasswordField, TextField } from '../../../components/ui/text-field';
import { useFormError, useZodForm } from '../../../hooks/use-zod-form';
import { useAuth } from '../../auth';

const NAME_FIELDS = ['displayName'] as const;
const sectionClass = 'rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200';

/** Display name and password, each its own form with its own save. */
export function AccountSection({ user }: { user: User }) {
  return (
    <>
      <DisplayNameForm user={user} />
      <PasswordForm />
    </>
  );
}

function DisplayNameForm({ user }: { user: User }) {
  const { updateProfile } = useAuth();
  const [saved, setSaved] = useState(false);
  const {
    register,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isDirty, isSubmitting },
  } = useZodForm(updateProfileRequestSchema, { displayName: user.displayName });
  const { formError, attempt } = useFormError(setError, NAME_FIELDS);

  const onSubmit = handleSubmit((values) => {
    setSaved(false);
    return attempt(async () => {
      const updated = await updateProfile(values);
      reset({ displayName: updated.displayName });
      setSaved(true);
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="display-name-heading" className={sectionClass}>
      <h3 id="display-name-heading" className="text-sm font-semibold text-slate-900">
        Display name
      </h3>
      <p className="mt-1 text-sm text-slate-600">
        How others see you in conversations. You sign in as <span className="break-all">{user.email}</span>.
      </p>
      {formError && <Alert className="mt-3">{formError}</Alert>}
      <TextField className="mt-4" label="Display name" autoComplete="nickname" error={errors.displayName?.message} {...register('displayName')} />
      <div className="mt-4 flex items-center justify-end gap-3">
        {saved && !isDirty && (
          <p role="status" className="text-sm text-emerald-700">
            Display name saved
          </p>
        )}
        <Button type="submit" isLoading={isSubmitting} disabled={!isDirty}>
          Save name
        </Button>
      </div>
    </form>
  );
}

const passwordFormSchema = changePasswordRequestSchema
  .extend({ confirmPassword: z.string().min(1, { error: 'Confirm your new password' }) })
  .refine((values) => values.newPassword === values.confirmPassword, { path: ['confirmPassword'], error: 'Passwords do not match' });
type PasswordFormValues = z.infer<typeof passwordFormSchema>;
const PASSWORD_FIELDS = ['currentPassword', 'newPassword'] as const;
const EMPTY_PASSWORDS: PasswordFormValues = { currentPassword: '', newPassword: '', confirmPassword: '' };

function PasswordForm() {
  const { changePassword } = useAuth();
  const [changed, setChanged] = useState(false);
  const {
    register,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isSubmitting },
  } = useZodForm(passwordFormSchema, EMPTY_PASSWORDS);
  const { formError, attempt } = useFormError(setError, PASSWORD_FIELDS);

  const onSubmit = handleSubmit(({ confirmPassword: _confirmation, ...input }) => {
    setChanged(false);
    return attempt(async () => {
      await changePassword(input);
      reset(EMPTY_PASSWORDS);
      setChanged(true);
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="password-heading" className={sectionClass}>
      <h3 id="password-heading" className="text-sm font-semibold text-slate-900">
        Password
      </h3>
      <p className="mt-1 text-sm text-slate-600">Changing it signs you out on every other device and browser.</p>
      {formError && <Alert className="mt-3">{formError}</Alert>}
      <div className="mt-4 space-y-4">
        <PasswordField label="Current password" purpose="current" revealable error={errors.currentPassword?.message} {...register('currentPassword')} />
        <PasswordField
          label="New password"
          purpose="new"
          revealable
          hint="At least 8 characters."
          error={errors.newPassword?.message}
          {...register('newPassword', { deps: ['confirmPassword'] })}
        />
        <PasswordField label="Confirm new password" purpose="new" error={errors.confirmPassword?.message} {...register('confirmPassword')} />
      </div>
      <div className="mt-4 flex items-center justify-end gap-3">
        {changed && (
          <p role="status" className="text-sm text-emerald-700">
            Password changed. Your other devices were signed out.
          </p>
        )}
        <Button type="submit" isLoading={isSubmitting}>
          Change password
        </Button>
      </div>
    </form>
  );
}
