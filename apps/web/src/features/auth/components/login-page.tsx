import { Link, useLocation } from 'react-router';
import { AuthLayout } from './auth-layout';
import { LoginForm } from './login-form';

export function LoginPage() {
  const location = useLocation();
  return (
    <AuthLayout
      title="Log in to Chat"
      subtitle="Welcome back! Enter your details to continue."
      footer={
        <>
          New to Chat? {/* Keeps the "return to" location when switching forms. */}
          <Link to="/register" state={location.state} className="font-semibold text-indigo-600 hover:text-indigo-500">
            Create an account
          </Link>
        </>
      }
    >
      <LoginForm />
    </AuthLayout>
  );
}
