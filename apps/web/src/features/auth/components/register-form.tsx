import { registerRequestSchema } from '@chat/shared';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { TextField } from '../../../components/ui/text-field';
import { ApiError } from '../../../lib/api-client';
import { applyServerFieldErrors, genericErrorMessage } from '../../../lib/form-errors';
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
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm({
    resolver: zodResolver(registerFormSchema),
    defaultValues: { displayName: '', email: '', password: '', confirmPassword: '' },
    // Not on blur: an error appearing as focus leaves a field moves what the pointer is about to
    // click (the "Create an account" link, the submit button), and the click lands on nothing.
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });

  const onSubmit = handleSubmit(async ({ confirmPassword: _confirmation, ...input }) => {
    setFormError(null);
    try {
      await registerAccount(input);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'EMAIL_TAKEN') {
        setError('email', { type: 'server', message: EMAIL_TAKEN_MESSAGE }, { shouldFocus: true });
      } else if (error instanceof ApiError && error.status === 400 && applyServerFieldErrors(error, FIELDS, setError)) {
        // Shown under the fields.
      } else {
        setFormError(genericErrorMessage(error));
      }
    }
  });

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
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        error={errors.email?.message}
        {...register('email')}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        revealable
        hint="At least 8 characters."
        error={errors.password?.message}
        {...register('password', { deps: ['confirmPassword'] })}
      />
      <TextField
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        error={errors.confirmPassword?.message}
        {...register('confirmPassword')}
      />
      <Button type="submit" isLoading={isSubmitting} className="w-full py-2.5">
        {isSubmitting ? 'Creating account…' : 'Create account'}
      </Button>
    </form>
  );
}
