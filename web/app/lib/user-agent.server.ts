// A User-Agent header in a few words, for lists of what happened where ("Chrome 120 on Linux"). Pure.
import Bowser from 'bowser';

/** What a label that is not a browser's keeps of the raw header (a script's "curl/8.5.0", say). */
export const RAW_USER_AGENT_LABEL_LENGTH = 40;

/** "Chrome 120.0.6099.71" → "Chrome 120". */
function withMajor(name: string | undefined, version: string | undefined): string | null {
  const browser = name?.trim();
  if (!browser) return null;
  const major = version?.trim().split('.')[0];
  return major && /^\d+$/.test(major) ? `${browser} ${major}` : browser;
}

/**
 * The browser and system of a User-Agent: "Chrome 120 on Linux", "Safari 17 on iOS"; the browser alone
 * when the system is unknown; for anything Bowser cannot name, the header's start (cut with "…"). Null
 * for none.
 */
export function shortUserAgent(userAgent: string | null | undefined): string | null {
  const raw = userAgent?.trim();
  if (!raw) return null;
  const { browser, os } = Bowser.parse(raw);
  const name = withMajor(browser.name, browser.version);
  if (name) {
    const system = os.name?.trim();
    return system ? `${name} on ${system}` : name;
  }
  return raw.length > RAW_USER_AGENT_LABEL_LENGTH ? `${raw.slice(0, RAW_USER_AGENT_LABEL_LENGTH - 1)}…` : raw;
}
