import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { AuthProvider } from './auth.tsx';
import { router } from './routes.tsx';
// The stylesheet, one file per area, in cascade order.
import './styles/theme.css';
import './styles/page.css';
import './styles/forms.css';
import './styles/calls.css';
import './styles/agents.css';
import './styles/features.css';
import './styles/studio-test.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <AuthProvider>
      <RouterProvider router={router} />
    </AuthProvider>
  </StrictMode>,
);
