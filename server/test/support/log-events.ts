// The `event` of each JSON log line a child process wrote so far. Output arrives in chunks, so the text may
// end in a partial line: only complete lines (up to the last newline) are read, and lines that are not JSON
// (a warning Node prints, say) are skipped, so a poll never throws halfway through a line.
export function logEvents(output: string): (string | undefined)[] {
  const complete = output.slice(0, output.lastIndexOf('\n') + 1);
  return complete.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [(JSON.parse(line) as { event?: string }).event];
    } catch {
      return [];
    }
  });
}
