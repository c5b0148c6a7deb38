import { Link, useLocation } from '@remix-run/react';

export interface Section {
  to: string;
  label: string;
  /**
   * The paths below `to` that count as this section, when not all of them do: an index section such as
   * /admin, whose path starts every other section's, names its own pages here (['/admin/users/']).
   * Without it, everything under `to/` is in the section.
   */
  under?: string[];
}

/** Whether `pathname` is the section's own page or one of the pages under it. */
function inSection(pathname: string, section: Section): boolean {
  const { to, under = [`${to}/`] } = section;
  return pathname === to || pathname === `${to}/` || under.some((prefix) => pathname.startsWith(prefix));
}

/**
 * The tabs at the top of a layout (the signed-in app, the admin console): one link per section, the
 * current one marked with aria-current="page". `heading` is a small tag before the links ("Admin").
 */
export function SectionNav({ label, sections, heading }: { label: string; sections: Section[]; heading?: string }) {
  const { pathname } = useLocation();
  return (
    <nav aria-label={label} className="-mt-4 mb-6 border-b border-slate-200">
      <ul className={heading ? 'flex flex-wrap items-center gap-1 text-sm' : 'flex flex-wrap gap-1 text-sm'}>
        {heading ? (
          <li className="mr-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{heading}</li>
        ) : null}
        {sections.map((section) => {
          const current = inSection(pathname, section);
          return (
            <li key={section.to}>
              <Link
                to={section.to}
                aria-current={current ? 'page' : undefined}
                className={
                  current
                    ? '-mb-px inline-block border-b-2 border-indigo-600 px-3 py-2 font-semibold text-indigo-700'
                    : '-mb-px inline-block border-b-2 border-transparent px-3 py-2 font-medium text-slate-600 hover:text-slate-900'
                }
              >
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
