import { type ComponentType, lazy, Suspense } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { FullScreenLoader } from '../components/ui/full-screen-loader';
import { ProtectedRoute, PublicOnlyRoute } from '../features/auth';
import { NotFoundPage } from './not-found-page';
import { RouteErrorPage } from './route-error-page';

/** A route's page, loaded with its code the first time it shows, so the first visit downloads only what it needs. */
function lazyPage<M>(load: () => Promise<M>, pick: (module: M) => ComponentType) {
  const Page = lazy(() => load().then((module) => ({ default: pick(module) })));
  return (
    <Suspense fallback={<FullScreenLoader />}>
      <Page />
    </Suspense>
  );
}

export const router = createBrowserRouter([
  {
    errorElement: <RouteErrorPage />,
    children: [
      {
        element: <PublicOnlyRoute />,
        children: [
          {
            path: '/login',
            element: lazyPage(
              () => import('../features/auth'),
              (m) => m.LoginPage,
            ),
          },
          {
            path: '/register',
            element: lazyPage(
              () => import('../features/auth'),
              (m) => m.RegisterPage,
            ),
          },
        ],
      },
      {
        element: <ProtectedRoute />,
        children: [
          {
            path: '/',
            element: lazyPage(
              () => import('./app-shell'),
              (m) => m.AppShell,
            ),
            children: [
              {
                index: true,
                element: lazyPage(
                  () => import('../features/conversations'),
                  (m) => m.NoConversationSelected,
                ),
              },
              {
                path: 'c/:conversationId',
                element: lazyPage(
                  () => import('./conversation-route'),
                  (m) => m.ConversationRoute,
                ),
              },
              {
                path: 'threads',
                element: lazyPage(
                  () => import('../features/threads'),
                  (m) => m.ThreadsPage,
                ),
              },
              {
                path: 'settings',
                element: lazyPage(
                  () => import('../features/settings'),
                  (m) => m.SettingsPage,
                ),
              },
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
