import { createBrowserRouter, RouterProvider } from 'react-router';
import { LoginPage, ProtectedRoute, PublicOnlyRoute, RegisterPage } from '../features/auth';
import { NoConversationSelected } from '../features/conversations';
import { SettingsPage } from '../features/settings';
import { AppShell } from './app-shell';
import { ConversationRoute } from './conversation-route';
import { NotFoundPage } from './not-found-page';
import { RouteErrorPage } from './route-error-page';

export const router = createBrowserRouter([
  {
    errorElement: <RouteErrorPage />,
    children: [
      {
        element: <PublicOnlyRoute />,
        children: [
          { path: '/login', element: <LoginPage /> },
          { path: '/register', element: <RegisterPage /> },
        ],
      },
      {
        element: <ProtectedRoute />,
        children: [
          {
            path: '/',
            element: <AppShell />,
            children: [
              { index: true, element: <NoConversationSelected /> },
              { path: 'c/:conversationId', element: <ConversationRoute /> },
              { path: 'settings', element: <SettingsPage /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
