import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Layout } from './components/layout.tsx';
import Login from './pages/login.tsx';

const Signup = lazy(() => import('./pages/signup.tsx'));

// Every page is its own chunk; only the shell (router, auth, layout) and sign-in load up front.
const Overview = lazy(() => import('./pages/overview.tsx'));
const LiveCalls = lazy(() => import('./pages/live-calls.tsx'));
const Calls = lazy(() => import('./pages/calls.tsx'));
const CallDetail = lazy(() => import('./pages/call-detail.tsx'));
const Prospects = lazy(() => import('./pages/prospects.tsx'));
const ProspectImport = lazy(() => import('./pages/prospect-import.tsx'));
const ProspectDetail = lazy(() => import('./pages/prospect-detail.tsx'));
const Campaigns = lazy(() => import('./pages/campaigns.tsx'));
const CampaignDetail = lazy(() => import('./pages/campaign-detail.tsx'));
const DoNotCall = lazy(() => import('./pages/do-not-call.tsx'));
const Appointments = lazy(() => import('./pages/appointments.tsx'));
const Agents = lazy(() => import('./pages/agents.tsx'));
const AgentStudio = lazy(() => import('./pages/agent-studio.tsx'));
const Settings = lazy(() => import('./pages/settings.tsx'));
const Profile = lazy(() => import('./pages/profile.tsx'));
const NotFound = lazy(() => import('./pages/not-found.tsx'));

export const router = createBrowserRouter([
  { path: '/login', element: <Login /> },
  {
    path: '/signup',
    element: (
      <Suspense fallback={null}>
        <Signup />
      </Suspense>
    ),
  },
  {
    element: <Layout />,
    children: [
      { index: true, element: <Overview /> },
      { path: 'live', element: <LiveCalls /> },
      { path: 'calls', element: <Calls /> },
      { path: 'calls/:id', element: <CallDetail /> },
      { path: 'prospects', element: <Prospects /> },
      { path: 'prospects/import', element: <ProspectImport /> },
      { path: 'prospects/:id', element: <ProspectDetail /> },
      { path: 'campaigns', element: <Campaigns /> },
      { path: 'campaigns/:id', element: <CampaignDetail /> },
      { path: 'do-not-call', element: <DoNotCall /> },
      { path: 'appointments', element: <Appointments /> },
      { path: 'agents', element: <Agents /> },
      { path: 'agents/:id', element: <AgentStudio /> },
      { path: 'settings', element: <Navigate to="/settings/business" replace /> },
      { path: 'settings/:tab', element: <Settings /> },
      { path: 'profile', element: <Profile /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
