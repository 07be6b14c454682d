import { useEffect, useState } from 'react';

type Listener = (message: string) => void;
const listeners = new Set<Listener>();

/** Shows a short confirmation ("Saved") fixed on screen, wherever the page is scrolled. */
export function showToast(message: string): void {
  for (const listener of listeners) listener(message);
}

const VISIBLE_MS = 3500;

/** Renders the current toast; mounted once in the layout. Announced politely to screen readers. */
export function Toaster() {
  const [toast, setToast] = useState<{ message: string; key: number } | null>(null);
  useEffect(() => {
    const listener: Listener = (message) => setToast({ message, key: Date.now() });
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [toast]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast ? (
        <p key={toast.key} className="toast">
          {toast.message}
        </p>
      ) : null}
    </div>
  );
}
