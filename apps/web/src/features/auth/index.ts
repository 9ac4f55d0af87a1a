export { AuthProvider } from './components/auth-provider';
export { LoginPage } from './components/login-page';
export { RegisterPage } from './components/register-page';
export { ProtectedRoute, PublicOnlyRoute } from './components/route-guards';
export { useAuth, type AuthContextValue, type AuthStatus } from './hooks/use-auth';

