import { loginRequestSchema } from '@chat/shared';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { TextField } from '../../../components/ui/text-field';
import { ApiError } from '../../../lib/api-client';
import { applyServerFieldErrors, genericErrorMessage } from '../../../lib/form-errors';
import { useAuth } from '../hooks/use-auth';

const FIELDS = ['email', 'password'] as const;

export function LoginForm() {
  const { login } = useAuth();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm({
    resolver: zodResolver(loginRequestSchema),
    defaultValues: { email: '', password: '' },
    // Not on blur: an error appearing as focus leaves a field moves what the pointer is about to
    // click (the "Create an account" link, the submit button), and the click lands on nothing.
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });

  // On success the route guard moves on to the page the user wanted; nothing to do here.
  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      await login(values);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setFormError('Invalid email or password');
        setValue('password', '');
        setFocus('password');
      } else if (error instanceof ApiError && error.status === 400 && applyServerFieldErrors(error, FIELDS, setError)) {
        // Shown under the fields.
      } else {
        setFormError(genericErrorMessage(error));
      }
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Log in">
      {formError && <Alert>{formError}</Alert>}
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        error={errors.email?.message}
        {...register('email')}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        revealable
        error={errors.password?.message}
        {...register('password')}
      />
      <Button type="submit" isLoading={isSubmitting} className="w-full py-2.5">
        {isSubmitting ? 'Logging in…' : 'Log in'}
      </Button>
    </form>
  );
}
