import { useCallback, useState } from 'react';

export interface Action {
  /** True while the work runs (the form's button is disabled). */
  readonly busy: boolean;
  /** What the last run threw, or what `fail` was given; cleared by the next run. Shown by ErrorNote. */
  readonly error: unknown;
  readonly fail: (error: unknown) => void;
  readonly run: (work: () => Promise<void>) => Promise<void>;
}

/** A form's call to the server: busy while it runs, its error kept for the page to show. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(async (work: () => Promise<void>): Promise<void> => {
    setError(undefined);
    setBusy(true);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, fail: setError, run };
}
