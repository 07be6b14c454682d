import type { LoginResponse, Role, User } from '@switchboard/shared';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { api, getToken, onUnauthorized, setToken } from './api.ts';

/** Mirrors ROLE_RANK from @switchboard/shared (kept local so the first page load stays small). */
const RANK = { viewer: 0, agent: 1, admin: 2, owner: 3 } as const satisfies Record<Role, number>;

export function hasRole(user: User | null, min: Role): boolean {
  return !!user && RANK[user.role] >= RANK[min];
}

interface AuthValue {
  user: User | null;
  /** True until the stored session has been checked on first load. */
  checking: boolean;
  /** Why the user was sent to sign-in, e.g. an expired session. */
  notice: string | null;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => void;
  /** Replaces the signed-in user after they changed their own account (password, name). */
  updateUser: (user: User) => void;
  /** Not a viewer: may create and edit prospects, agents, calls. */
  canEdit: boolean;
  /** Admin or owner: may manage settings, numbers, keys and the team. */
  isAdmin: boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(() => getToken() !== null);
  const [notice, setNotice] = useState<string | null>(null);
  const userRef = useRef(user);
  userRef.current = user;

  useEffect(() => {
    onUnauthorized(() => {
      if (userRef.current) setNotice('Your session has expired. Please sign in again.');
      setUser(null);
    });
    if (!getToken()) return;
    api
      .get<User | { user: User }>('/api/auth/me')
      .then((me) => setUser('user' in me ? me.user : me))
      .catch(() => {
        // 401 is handled above; anything else (server down) sends the user to sign-in.
        setUser(null);
      })
      .finally(() => setChecking(false));
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const res = await api.post<LoginResponse>('/api/auth/login', { email, password });
    setToken(res.token);
    setNotice(null);
    setUser(res.user);
  }, []);

  const signOut = useCallback(() => {
    setToken(null);
    setNotice(null);
    setUser(null);
  }, []);

  const value = useMemo<AuthValue>(
    () => ({
      user,
      checking,
      notice,
      signIn,
      signOut,
      updateUser: setUser,
      canEdit: hasRole(user, 'agent'),
      isAdmin: hasRole(user, 'admin'),
    }),
    [user, checking, notice, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
