import { Link } from 'react-router';
import { EmptyState, PageHeader } from '../components/page.tsx';

export default function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="There is nothing at this address">
        <Link to="/">Go to the overview</Link>
      </EmptyState>
    </>
  );
}
