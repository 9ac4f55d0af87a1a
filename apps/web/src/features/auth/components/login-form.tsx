import { loginRequestSchema } from '@chat/shared';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { EmailField, PasswordField } from '../../../components/ui/text-field';
import { useFormError, useZodForm } from '../../../hooks/use-zod-form';
import { ApiError } from '../../../lib/api-client';
import { useAuth } from '../hooks/use-auth';

const FIELDS = ['email', 'password'] as const;

export function LoginForm() {
  const { login } = useAuth();
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    setFocus,
    formState: { errors, isSubmitting },
  } = useZodForm(loginRequestSchema, { email: '', password: '' });
  const { formError, attempt } = useFormError(setError, FIELDS);

  // On success the route guard moves on to the page the user wanted; nothing to do here.
  const onSubmit = handleSubmit((values) =>
    attempt(
      () => login(values),
      (error) => {
        if (!(error instanceof ApiError && error.status === 401)) return false;
        setValue('password', '');
        setFocus('password');
        return 'Invalid email or password';
      },
    ),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Log in">
      {formError && <Alert>{formError}</Alert>}
      <EmailField autoFocus error={errors.email?.message} {...register('email')} />
      <PasswordField label="Password" purpose="current" revealable error={errors.password?.message} {...register('password')} />
      <Button type="submit" isLoading={isSubmitting} className="w-full py-2.5">
        {isSubmitting ? 'Logging in…' : 'Log in'}
      </Button>
    </form>
  );
}
