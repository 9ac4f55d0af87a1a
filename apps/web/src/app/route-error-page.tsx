import { Button } from '../components/ui/button';
import { StatusPage } from './status-page';

export function RouteErrorPage() {
  return (
    <StatusPage
      title="Something went wrong"
      message="An unexpected error occurred. Reloading the page usually helps."
      action={<Button onClick={() => window.location.reload()}>Reload</Button>}
    />
  );
}
