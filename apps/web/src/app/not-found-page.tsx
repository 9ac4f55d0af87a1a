import { Link } from 'react-router';
import { StatusPage } from './status-page';

export function NotFoundPage() {
  return (
    <StatusPage
      title="Page not found"
      message="The page you are looking for does not exist or has moved."
      action={
        <Link
          to="/"
          className="inline-flex rounded-lg bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Back to Chat
        </Link>
      }
    />
  );
}
