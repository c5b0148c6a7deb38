/** A form field as text: missing fields and file uploads read as '' (a File never stringifies usefully). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
