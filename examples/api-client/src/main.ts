// Calls the Deal Brain API with a personal API key: who am I, my newest listings, and (with --add)
// a new listing. Prints one JSON object; on an API error prints its code and exits with 1.
//
//   DEALBRAIN_API_KEY=dbk_… npm start                       (in examples/api-client)
//   DEALBRAIN_API_KEY=dbk_… npm start -- --add "ThinkPad T14" 450.00
//
// DEALBRAIN_API_URL defaults to http://localhost:4000/graphql. The key needs the WRITE scope for --add.
import { ApiError, createClient } from './client.js';
import { AddListingDocument, RecentListingsDocument, WhoAmIDocument } from './documents.js';

async function main(args: string[]): Promise<void> {
  const apiKey = process.env.DEALBRAIN_API_KEY;
  if (!apiKey) throw new Error('Set DEALBRAIN_API_KEY to a personal API key (Settings → API keys)');
  const client = createClient({ url: process.env.DEALBRAIN_API_URL ?? 'http://localhost:4000/graphql', apiKey });

  let added: { id: string; title: string; price: string } | undefined;
  if (args[0] === '--add') {
    const [, title, price] = args;
    if (!title || !price) throw new Error('Usage: --add <title> <price>');
    added = (await client.request(AddListingDocument, { input: { title, price } })).createListing.listing;
  }
  const { viewer } = await client.request(WhoAmIDocument);
  const { listings } = await client.request(RecentListingsDocument, { first: 5 });
  process.stdout.write(
    `${JSON.stringify({
      viewer: viewer.email,
      ...(added ? { added } : {}),
      listings: {
        totalCount: listings.totalCount,
        newest: listings.edges.map(({ node }) => ({ title: node.title, price: node.price })),
      },
    })}\n`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ApiError) {
    process.stderr.write(`API error ${error.code ?? 'unknown'} (HTTP ${error.status}): ${error.message}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
