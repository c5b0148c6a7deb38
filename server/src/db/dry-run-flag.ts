/** The one option of the owner's maintenance commands (audit:prune, users:purge): --dry-run, or nothing. */
export function dryRunFlag(args: string[]): boolean {
  const unknown = args.filter((arg) => arg !== '--dry-run');
  if (unknown.length > 0) throw new Error(`Unknown argument "${unknown[0]}": the only option is --dry-run`);
  return args.includes('--dry-run');
}
