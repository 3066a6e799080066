// Paging of list reads as Twilio answers them: v2010 pages with relative URIs, v2 pages with a meta block.

/** The list parameters every paged Twilio read accepts. */
interface PageRequest {
  readonly pageSize: number;
  readonly page: number;
  readonly pageToken?: string;
}

export function pageRequest(query: URLSearchParams, maxPageSize: number): PageRequest | string {
  const size = query.get('PageSize');
  const page = query.get('Page');
  const pageSize = size === null ? 50 : Number(size);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    return `PageSize must be between 1 and ${maxPageSize}`;
  }
  const pageNumber = page === null ? 0 : Number(page);
  if (!Number.isInteger(pageNumber) || pageNumber < 0) return 'Page must be a non-negative integer';
  return { pageSize, page: pageNumber, pageToken: query.get('PageToken') ?? undefined };
}

/**
 * One page of `items` (newest first, as Twilio lists). A PageToken ("PA" + the last sid of the
 * page before, "PB" + the first sid of the page after) keeps paging stable while items are added.
 */
function slicePage<T>(items: readonly T[], sidOf: (item: T) => string, req: PageRequest): { start: number; rows: T[] } {
  let start = req.page * req.pageSize;
  const token = req.pageToken;
  if (token && token.length > 2) {
    const index = items.findIndex((item) => sidOf(item) === token.slice(2));
    if (index >= 0 && token.startsWith('PA')) start = index + 1;
    if (index >= 0 && token.startsWith('PB')) start = Math.max(0, index - req.pageSize);
  }
  return { start, rows: items.slice(start, start + req.pageSize) };
}

function pageQuery(filters: URLSearchParams, pageSize: number, page: number, token?: string): string {
  const q = new URLSearchParams(filters);
  q.set('PageSize', String(pageSize));
  q.set('Page', String(page));
  if (token) q.set('PageToken', token);
  return q.toString();
}

interface ListRequest<T> {
  readonly items: readonly T[];
  readonly key: string;
  readonly filters: URLSearchParams;
  readonly req: PageRequest;
  readonly sidOf: (item: T) => string;
}

/** One page's rows and the links to the first, previous, next and same page, as `base?query` (null: no such page). */
function pageWithLinks<T>({ items, filters, req, sidOf }: ListRequest<T>, base: string) {
  const { start, rows } = slicePage(items, sidOf, req);
  const link = (page: number, token?: string) => `${base}?${pageQuery(filters, req.pageSize, page, token)}`;
  const hasNext = start + rows.length < items.length && rows.length > 0;
  const last = rows[rows.length - 1];
  const first = rows[0];
  return {
    start,
    rows,
    first: link(0),
    previous: req.page > 0 && first ? link(req.page - 1, `PB${sidOf(first)}`) : null,
    next: hasNext && last ? link(req.page + 1, `PA${sidOf(last)}`) : null,
    self: link(req.page, req.pageToken),
  };
}

/** A v2010 list page: the rows under `key` plus first/next/previous page URIs relative to api.twilio.com. */
export function page2010<T>(opts: ListRequest<T> & { path: string }): Record<string, unknown> {
  const page = pageWithLinks(opts, opts.path);
  return {
    [opts.key]: page.rows,
    end: Math.max(page.start, page.start + page.rows.length - 1),
    first_page_uri: page.first,
    next_page_uri: page.next,
    page: opts.req.page,
    page_size: opts.req.pageSize,
    previous_page_uri: page.previous,
    start: page.start,
    uri: page.self,
  };
}

/** A v2 (Intelligence) list page: rows under `key` plus a `meta` block with absolute URLs. */
export function pageV2<T>(opts: ListRequest<T> & { url: string }): Record<string, unknown> {
  const page = pageWithLinks(opts, opts.url);
  return {
    [opts.key]: page.rows,
    meta: {
      page: opts.req.page,
      page_size: opts.req.pageSize,
      first_page_url: page.first,
      previous_page_url: page.previous,
      url: page.self,
      next_page_url: page.next,
      key: opts.key,
    },
  };
}

/** The query parameters of a list request that filter it, in the order given, for page URIs. */
export function filtersOf(query: URLSearchParams, names: readonly string[]): URLSearchParams {
  const filters = new URLSearchParams();
  for (const [key, value] of query) if (names.includes(key)) filters.append(key, value);
  return filters;
}
