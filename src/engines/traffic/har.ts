import fs from 'node:fs';
import { ContractsError } from '../../core/errors.ts';

/** A HAR file that cannot be read or is not HAR 1.2: exit code 2, one line naming the file and the problem. */
export class HarError extends ContractsError {}

export interface HarHeader {
  name: string;
  value: string;
}

/** One recorded request/response pair, reduced to what the checks need. */
export interface HarEntry {
  /** Position in `log.entries` (0-based), for messages. */
  index: number;
  startedDateTime?: string;
  time: number;
  request: {
    method: string;
    url: string;
    headers: HarHeader[];
    body?: string;
    mimeType?: string;
  };
  response: {
    status: number;
    headers: HarHeader[];
    /** Body text (base64 bodies decoded as latin1, as the runner reads binary bodies). */
    text: string;
    mimeType?: string;
  };
}

/** Reads and validates a HAR 1.2 (or 1.1) file. Throws HarError naming the first thing wrong. */
export function readHar(file: string): HarEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new HarError(`${file}: cannot read the HAR file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new HarError(`${file}: not a HAR file: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  return parseHar(doc, file);
}

export function parseHar(doc: unknown, file: string): HarEntry[] {
  const bad = (where: string, what: string) => new HarError(`${file}: not a valid HAR 1.2 file: ${where} ${what}`);
  if (!isObject(doc) || !isObject(doc.log)) throw bad('the top level', 'has no "log" object');
  const log = doc.log;
  if (log.version !== undefined && log.version !== '1.2' && log.version !== '1.1') throw bad('log.version', `is ${JSON.stringify(log.version)} (expected "1.2")`);
  if (!Array.isArray(log.entries)) throw bad('log.entries', 'is missing or not an array');
  return log.entries.map((raw, index): HarEntry => {
    const at = `log.entries[${index}]`;
    if (!isObject(raw)) throw bad(at, 'is not an object');
    const req = raw.request;
    const res = raw.response;
    if (!isObject(req)) throw bad(`${at}.request`, 'is missing or not an object');
    if (!isObject(res)) throw bad(`${at}.response`, 'is missing or not an object');
    if (typeof req.method !== 'string' || !/^[A-Za-z]+$/.test(req.method)) throw bad(`${at}.request.method`, 'is missing or not an HTTP method');
    if (typeof req.url !== 'string') throw bad(`${at}.request.url`, 'is missing or not a string');
    try {
      new URL(req.url);
    } catch {
      throw bad(`${at}.request.url`, `is not an absolute URL (${JSON.stringify(req.url.slice(0, 80))})`);
    }
    if (typeof res.status !== 'number' || !Number.isInteger(res.status)) throw bad(`${at}.response.status`, 'is missing or not a number');
    const headers = (list: unknown, where: string): HarHeader[] => {
      if (list === undefined) return [];
      if (!Array.isArray(list)) throw bad(where, 'is not an array');
      return list.map((h, i) => {
        if (!isObject(h) || typeof h.name !== 'string' || typeof h.value !== 'string') throw bad(`${where}[${i}]`, 'is not a {name, value} pair');
        return { name: h.name, value: h.value };
      });
    };
    const postData = isObject(req.postData) ? req.postData : undefined;
    let body: string | undefined;
    if (postData) {
      if (typeof postData.text === 'string') body = postData.text;
      else if (Array.isArray(postData.params)) {
        body = new URLSearchParams(postData.params.filter(isObject).map((p) => [String(p.name), String(p.value ?? '')])).toString();
      }
    }
    const content = res.content;
    if (content !== undefined && !isObject(content)) throw bad(`${at}.response.content`, 'is not an object');
    let textBody = '';
    if (isObject(content) && typeof content.text === 'string') {
      textBody = content.encoding === 'base64' ? Buffer.from(content.text, 'base64').toString('latin1') : content.text;
    }
    return {
      index,
      startedDateTime: typeof raw.startedDateTime === 'string' ? raw.startedDateTime : undefined,
      time: typeof raw.time === 'number' ? raw.time : 0,
      request: {
        method: req.method.toUpperCase(),
        url: req.url,
        headers: headers(req.headers, `${at}.request.headers`),
        body,
        mimeType: typeof postData?.mimeType === 'string' ? postData.mimeType : undefined,
      },
      response: {
        status: res.status,
        headers: headers(res.headers, `${at}.response.headers`),
        text: textBody,
        mimeType: isObject(content) && typeof content.mimeType === 'string' ? content.mimeType : undefined,
      },
    };
  });
}

/** Header list → lower-case record (repeated headers joined with ", ", cookies with "; "). */
export function headerRecord(list: HarHeader[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of list) {
    const key = name.toLowerCase();
    // HTTP/2 pseudo-headers (":authority") are not headers of the message.
    if (key.startsWith(':')) continue;
    out[key] = key in out ? `${out[key]}${key === 'cookie' ? '; ' : ', '}${value}` : value;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
