/** A new record id: 24 hex digits, as the service's ids are (a time part, then a counter). */
let counter = 0;
export function newObjectId(): string {
  counter = (counter + 1) % 0xffffff;
  return Math.floor(Date.now() / 1000).toString(16).padStart(8, '0') + '6d6f636b' + counter.toString(16).padStart(8, '0');
}
