/** The one loop over a paginated KMS listing (ListAliases, ListResourceTags). */

/** What every page of a KMS listing carries: NextMarker, meaningful while Truncated. */
export interface ListingPage {
  NextMarker?: string;
  Truncated: boolean;
}

/**
 * Every item of a paginated KMS listing, page by page: `fetchPage` gets `{}` for the first page, then
 * `{ Marker }` with the previous page's NextMarker for as long as the previous page was Truncated.
 */
export async function* paginate<P extends ListingPage, T>(
  fetchPage: (next: { Marker?: string }) => Promise<P>,
  items: (page: P) => readonly T[],
): AsyncGenerator<T> {
  let marker: string | undefined;
  do {
    const page = await fetchPage(marker === undefined ? {} : { Marker: marker });
    yield* items(page);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker !== undefined);
}
