import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ApiError } from './api.js';
import { useT } from './i18n.js';

/** A page's title, focused when the page opens so keyboard and screen-reader users land on it. */
export function PageTitle({ children }: { readonly children: ReactNode }): ReactNode {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** An error from the server shown by its code and message (the server never puts personal values in either). */
export function ErrorNote({ error }: { readonly error: unknown }): ReactNode {
  const t = useT();
  if (error === undefined || error === null) return null;
  const text = error instanceof ApiError ? `${error.code}: ${error.message}` : t('error.unexpected');
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}

/** A labelled text input. */
export function Field(props: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (v: string) => void;
  readonly type?: string;
  readonly required?: boolean;
  readonly maxLength?: number;
  readonly autoComplete?: string;
  readonly name?: string;
  readonly minLength?: number;
}): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        maxLength={props.maxLength ?? 200}
        minLength={props.minLength}
        autoComplete={props.autoComplete ?? 'off'}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

/** A labelled multi-line text input. */
export function TextArea(props: { readonly label: string; readonly value: string; readonly onChange: (v: string) => void; readonly required?: boolean; readonly minLength?: number; readonly maxLength: number; readonly name?: string; readonly rows?: number }): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea id={id} name={props.name} value={props.value} required={props.required} minLength={props.minLength} maxLength={props.maxLength} rows={props.rows ?? 4} onChange={(e) => props.onChange(e.target.value)} />
    </div>
  );
}

/** A labelled select. */
export function Select<V extends string>(props: {
  readonly label: string;
  readonly value: V;
  readonly options: readonly { readonly value: V; readonly label: string }[];
  readonly onChange: (v: V) => void;
  readonly name?: string;
}): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} name={props.name} value={props.value} onChange={(e) => props.onChange(e.target.value as V)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
