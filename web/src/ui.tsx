// What every page shares: loading data, fields with the API's errors beside them,
// amounts as debits and credits, and tables.
import { cloneElement, useCallback, useEffect, useId, useState, type ReactElement, type ReactNode } from "react";
import { AuthNeeded } from "./api";

export type Loaded<T> = { data?: T; error?: string; loading: boolean; reload: () => void };

/** Runs `load` now and whenever `deps` change; an AuthNeeded asks for a token. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: Error) => {
        if (error instanceof AuthNeeded) window.dispatchEvent(new Event("ledger-auth-needed"));
        if (current) setState({ error: error.message, loading: false });
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

export type UserErrorShape = { code: string; message: string; field?: string | null };

/** A labelled input; the API's error naming this field is shown beside it and described
 * to assistive technology (the input's name stays its label). */
export function Field(props: {
  label: string;
  name: string;
  error?: UserErrorShape | null;
  children: ReactElement<Record<string, unknown>>;
}) {
  const id = useId();
  const wrong = Boolean(props.error && props.error.field === props.name);
  const input = cloneElement(props.children, {
    id,
    "aria-invalid": wrong || undefined,
    "aria-describedby": wrong ? `${id}-error` : undefined,
  });
  return (
    <div className={wrong ? "field wrong" : "field"}>
      <label htmlFor={id}>{props.label}</label>
      {input}
      {wrong && (
        <em className="field-error" id={`${id}-error`} role="alert" data-field={props.name}>
          {props.error!.message}
        </em>
      )}
    </div>
  );
}

/** An error that names no field of the form (or a request that failed). */
export function Problem({ error, fields }: { error?: UserErrorShape | string | null; fields?: string[] }) {
  if (!error) return null;
  if (typeof error !== "string" && error.field && fields?.includes(error.field)) return null;
  const text = typeof error === "string" ? error : `${error.code}: ${error.message}`;
  return (
    <p className="problem" role="alert">
      {text}
    </p>
  );
}

export function Page({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} - ledger`;
  }, [title]);
  return (
    <section className="page">
      <h1>{title}</h1>
      {children}
    </section>
  );
}

export function debit(amount: string): string {
  return amount.startsWith("-") || Number(amount) === 0 ? "" : amount;
}

export function credit(amount: string): string {
  return amount.startsWith("-") ? amount.slice(1) : "";
}

export function dims(dimensions: readonly { dimensionCode: string; dimensionValueCode: string }[]): string {
  return dimensions.map((d) => `${d.dimensionCode}=${d.dimensionValueCode}`).join(", ");
}

/** Amounts (the API's Decimal text, two decimals) added exactly, as integer cents. */
function cents(value: string): bigint {
  const negative = value.startsWith("-");
  const [whole, fraction = ""] = value.replace(/^[-+]/, "").split(".");
  const magnitude = BigInt(whole || "0") * 100n + BigInt((fraction + "00").slice(0, 2));
  return negative ? -magnitude : magnitude;
}

export function sum(values: readonly string[]): string {
  const total = values.reduce((sofar, value) => sofar + cents(value), 0n);
  const sign = total < 0n ? "-" : "";
  const magnitude = total < 0n ? -total : total;
  return `${sign}${magnitude / 100n}.${String(magnitude % 100n).padStart(2, "0")}`;
}

export type Column<Row> = { title: string; cell: (row: Row) => ReactNode; number?: boolean };

export function Table<Row>(props: {
  caption: string;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  footer?: ReactNode;
}) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={props.caption}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th key={column.title} scope="col" className={column.number ? "number" : undefined}>
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((column) => (
                <td key={column.title} className={column.number ? "number" : undefined}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {props.footer}
      </table>
    </div>
  );
}

export function Link({ to, children }: { to: string; children: ReactNode }) {
  return <a href={`#${to}`}>{children}</a>;
}
