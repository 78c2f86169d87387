/** A request Google would refuse with 400 INVALID_ARGUMENT; the message follows Google's wording. */
export class DocsError extends Error {
  constructor(message) {
    super(message);
    this.name = 'DocsError';
  }
}
