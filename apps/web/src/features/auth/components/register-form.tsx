import { registerRequestSchema } from '@chat/shared';
import { z } from 'zod';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { EmailField, PasswordField, TextField } from '../../../components/ui/text-field';
import { useFormError, useZodForm } from '../../../hooks/use-zod-form';
import { ApiError } from '../../../lib/api-client';
import { useAuth } from '../hooks/use-auth';

const EMAIL_TAKEN_MESSAGE = 'An account with this email already exists';
const FIELDS = ['displayName', 'email', 'password'] as const;

// The field rules come from the shared schema, so client and server always agree.
const registerFormSchema = registerRequestSchema
  .extend({ confirmPassword: z.string().min(1, { error: 'Confirm your password' }) })
  .refine((values) => values.password === values.confirmPassword, {
    path: ['confirmPassword'],
    error: 'Passwords do not match',
  });

export function RegisterForm() {
  const { register: registerAccount } = useAuth();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useZodForm(registerFormSchema, { displayName: '', email: '', password: '', confirmPassword: '' });
  const { formError, attempt } = useFormError(setError, FIELDS);

  const onSubmit = handleSubmit(({ confirmPassword: _confirmation, ...input }) =>
    attempt(
      () => registerAccount(input),
      (error) => {
        if (!(error instanceof ApiError && error.code === 'EMAIL_TAKEN')) return false;
        setError('email', { type: 'server', message: EMAIL_TAKEN_MESSAGE }, { shouldFocus: true });
        return true;
      },
    ),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Create account">
      {formError && <Alert>{formError}</Alert>}
      <TextField
        label="Display name"
        autoComplete="nickname"
        autoFocus
        hint="This is how others will see you."
        error={errors.displayName?.message}
        {...register('displayName')}
      />
      <EmailField error={errors.email?.message} {...register('email')} />
      <PasswordField
        label="Password"
        purpose="new"
        revealable
        hint="At least 8 characters."
        error={errors.password?.message}
        {...register('password', { deps: ['confirmPassword'] })}
      />
      <PasswordField label="Confirm password" purpose="new" error={errors.confirmPassword?.message} {...register('confirmPassword')} />
      <Button type="submit" isLoading={isSubmitting} className="w-full py-2.5">
        {isSubmitting ? 'Creating account…' : 'Create account'}
      </Button>
    </form>
  );
}
