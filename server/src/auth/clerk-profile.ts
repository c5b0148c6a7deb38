// One Backend API call for a profile the session token did not carry (first sight only), through the
// server's one Backend API client (clerk/backend-api.ts).
import type { ClerkBackend } from '#src/clerk/backend-api.js';
import type { FetchProfile } from '#src/users/provision.js';

export function createClerkProfileFetcher(clerk: ClerkBackend): FetchProfile {
  return async function fetchClerkProfile(clerkId) {
    const user = await clerk.call('users.getUser', (api) => api.users.getUser(clerkId));
    const primary = user.emailAddresses.find((address) => address.id === user.primaryEmailAddressId);
    return {
      email: primary?.emailAddress ?? user.emailAddresses[0]?.emailAddress,
      firstName: user.firstName ?? undefined,
      lastName: user.lastName ?? undefined,
      imageUrl: user.imageUrl || undefined,
    };
  };
}
