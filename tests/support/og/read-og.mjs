// node read-og.mjs URL: fetches the page with open-graph-scraper and prints what it read, as JSON on stdout.
import ogs from 'open-graph-scraper';

const url = process.argv[2];
const { error, result } = await ogs({ url, timeout: 60 });
if (error) {
  console.error(JSON.stringify(result));
  process.exit(1);
}
console.log(JSON.stringify({
  ogImage: result.ogImage ?? [],
  twitterCard: result.twitterCard ?? null,
  twitterImage: result.twitterImage ?? [],
}));
