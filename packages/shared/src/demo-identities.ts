// The demo identities of local mode: the local identity provider knows them, the seed gives them data,
// and the web app's sign-in page offers them. One list, so the three never disagree.

export interface DemoIdentity {
  /** The Clerk-shaped user id the local provider puts in `sub`. */
  readonly clerkId: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  /** The role the seed gives its user (and the sign-in page shows). */
  readonly role: 'USER' | 'ADMIN';
}

export const DEMO_IDENTITIES: readonly DemoIdentity[] = Object.freeze([
  Object.freeze({
    clerkId: 'user_local_alice',
    email: 'alice@example.com',
    firstName: 'Alice',
    lastName: 'Anders',
    role: 'USER',
  }),
  Object.freeze({
    clerkId: 'user_local_bob',
    email: 'bob@example.com',
    firstName: 'Bob',
    lastName: 'Baker',
    role: 'USER',
  }),
  Object.freeze({
    clerkId: 'user_local_admin',
    email: 'admin@example.com',
    firstName: 'Ada',
    lastName: 'Admin',
    role: 'ADMIN',
  }),
]);
