export { AuthProvider } from './components/auth-provider';
export { ProtectedRoute, PublicOnlyRoute } from './components/route-guards';
export { useAuth, type AuthContextValue, type AuthStatus } from './hooks/use-auth';
export { LoginPage } from './components/login-page';
export { RegisterPage } from './components/register-page';
