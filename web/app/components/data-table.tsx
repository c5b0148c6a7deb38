import type { ReactNode } from 'react';

export interface Column {
  label: string;
  /** Numbers line up on the right. */
  numeric?: boolean;
  /** A heading for screen readers only (an actions column). */
  visuallyHidden?: boolean;
}

interface DataTableProps {
  caption: string;
  columns: Column[];
  /** The rows: a `<tr>` each, its first cell a `<th scope="row">`. */
  children: ReactNode;
  bodyTestId?: string;
}

/** A table of records that scrolls sideways on narrow screens, with a caption for screen readers. */
export function DataTable({ caption, columns, children, bodyTestId }: DataTableProps) {
  return (
    <div className="relative mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-[44rem] w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={column.numeric ? 'px-4 py-3 text-right' : 'px-4 py-3'}>
                {column.visuallyHidden ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid={bodyTestId}>
          {children}
        </tbody>
      </table>
    </div>
  );
}
