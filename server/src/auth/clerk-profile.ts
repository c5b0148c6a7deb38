// One Backend API call for a profile the session token did not carry (first sight only).
import { createClerkClient } from '@clerk/backend';
import type { FetchProfile } from '#src/users/provision.js';

export function createClerkProfileFetcher(secretKey: string, apiUrl: string | undefined): FetchProfile {
  const clerk = createClerkClient({ secretKey, ...(apiUrl ? { apiUrl } : {}) });
  return async function fetchClerkProfile(clerkId) {
    const user = await clerk.users.getUser(clerkId);
    const primary = user.emailAddresses.find((address) => address.id === user.primaryEmailAddressId);
    return {
      email: primary?.emailAddress ?? user.emailAddresses[0]?.emailAddress,
      firstName: user.firstName ?? undefined,
      lastName: user.lastName ?? undefined,
      imageUrl: user.imageUrl || undefined,
    };
  };
}
