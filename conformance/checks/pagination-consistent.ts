import { mediaTypeMatches } from '../../src/core/contract/responses.ts';
import type { Check, CheckContext, Finding } from '../types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * A page of a list agrees with itself and with the request: the shapes these contracts use are
 * `{data, hasNext, total}` (with `skip`/`limit` in the request) and
 * `{data, pagination: {current_page, page_size, total_items, total_pages, next_page}}`.
 * Schemas cannot say that `hasNext` must follow from `total`, so this check does. Only for requests
 * the runner built: the page must follow from the request, and an observed answer may come without
 * it (library mode sees the response alone).
 */
export const paginationConsistent: Check<'pagination-consistent'> = {
  id: 'pagination-consistent',
  title: 'List pages are consistent (totals, page counts, next page)',
  appliesTo: { kinds: ['positive'], request: 'planned' },
  run(ctx) {
    if (!ctx.declared || ctx.response.status < 200 || ctx.response.status >= 300) return { skip: 'not a successful list answer' };
    let body: unknown;
    try {
      body = JSON.parse(ctx.response.text);
    } catch {
      return { skip: 'body is not JSON' };
    }
    if (!isObj(body) || !Array.isArray(body.data)) return { skip: 'not a paginated list' };
    // The list's schema is where the page's fields are declared.
    const media = ctx.declared.content.find((c) => mediaTypeMatches(c.mediaType, ctx.response.headers['content-type'] ?? ''));
    const location = ctx.contract.sourceMap.locate(media?.schemaPointer ?? `${ctx.declared.pointer}/content`);
    if (isObj(body.pagination)) return { findings: pageMeta(body.data.length, body.pagination, location) };
    if (typeof body.hasNext === 'boolean' && isCount(body.total)) return { findings: skipLimit(ctx, body.data.length, body.hasNext, body.total, location) };
    return { skip: 'no pagination fields to compare' };
  },
};

function pageMeta(count: number, p: Obj, location: Finding['location']): Finding[] {
  const out: Finding[] = [];
  const { current_page: current, page_size: size, total_items: total, total_pages: pages, next_page: next } = p;
  if (!isCount(current) || !isCount(size) || !isCount(total) || !isCount(pages)) return out;
  const expectedPages = size > 0 ? Math.ceil(total / size) : 0;
  // An empty list may count as zero pages or as one empty page.
  if (pages !== expectedPages && !(total === 0 && pages <= 1)) out.push({ message: `pagination.total_pages is ${pages}, but ${total} items in pages of ${size} make ${expectedPages}`, location });
  if (size > 0 && count > size) out.push({ message: `the page holds ${count} items, more than pagination.page_size ${size}`, location });
  const expectedNext = current < pages ? current + 1 : null;
  // What an empty list reports as its next page is not defined anywhere; judge non-empty lists only.
  if (total > 0 && next !== undefined && next !== expectedNext) out.push({ message: `pagination.next_page is ${JSON.stringify(next)}, but page ${current} of ${pages} makes it ${JSON.stringify(expectedNext)}`, location });
  if (isCount(current) && current >= 1 && current < pages && size > 0 && count !== size) out.push({ message: `page ${current} of ${pages} holds ${count} items, not a full page of ${size}`, location });
  return out;
}

function skipLimit(ctx: CheckContext, count: number, hasNext: boolean, total: number, location: Finding['location']): Finding[] {
  let request: Obj = {};
  try {
    const parsed: unknown = ctx.requestCase.body ? JSON.parse(ctx.requestCase.body) : {};
    if (isObj(parsed)) request = parsed;
  } catch {
    /* a non-JSON request has no skip/limit */
  }
  const skip = isCount(request.skip) ? request.skip : 0;
  const out: Finding[] = [];
  if (isCount(request.limit) && count > request.limit) out.push({ message: `the page holds ${count} items, more than the requested limit ${request.limit}`, location });
  if (count > total) out.push({ message: `the page holds ${count} items, more than total ${total}`, location });
  const expected = skip + count < total;
  if (hasNext !== expected) out.push({ message: `hasNext is ${hasNext}, but skip ${skip} + ${count} items ${expected ? '<' : '>='} total ${total}`, location });
  return out;
}
