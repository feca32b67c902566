import { useEffect, useState } from 'react';

/**
 * Hash routes hold ids only (a customer id, a staff id, an alert id), never a phone, name or ID number:
 * those travel in POST bodies and live in memory.
 */
export function currentRoute(): string[] {
  return window.location.hash.replace(/^#\/?/, '').split('/').filter((s) => s !== '').map(decodeURIComponent);
}

export function href(...parts: readonly string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function go(...parts: readonly string[]): void {
  window.location.hash = href(...parts);
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = (): void => setRoute(currentRoute());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
