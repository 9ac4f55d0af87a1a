import { Link, useLocation } from 'react-router';
import { AuthLayout } from './auth-layout';
import { RegisterForm } from './register-form';

export function RegisterPage() {
  const location = useLocation();
  return (
    <AuthLayout
      title="Create your account"
      subtitle="Start chatting in less than a minute."
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" state={location.state} className="font-semibold text-indigo-600 hover:text-indigo-500">
            Log in
          </Link>
        </>
      }
    >
      <RegisterForm />
    </AuthLayout>
  );
}
