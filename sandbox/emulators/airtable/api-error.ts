// An error answered the way Airtable answers it: a status and `{"error":{"type","message"}}`,
// or, for some 404s, the bare `{"error":"NOT_FOUND"}`.

export class AirtableApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** Answer `{"error": type}` with no message, as Airtable does for a missing record. */
    readonly bare = false,
  ) {
    super(message);
  }

  body(): { error: string | { type: string; message: string } } {
    return this.bare ? { error: this.type } : { error: { type: this.type, message: this.message } };
  }
}

export const invalidRequest = (detail?: string): AirtableApiError =>
  new AirtableApiError(422, 'INVALID_REQUEST_UNKNOWN', `Invalid request: parameter validation failed. Check your request data.${detail ? ` (${detail})` : ''}`);

export const unknownFieldName = (name: string): AirtableApiError =>
  new AirtableApiError(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: ${JSON.stringify(name)}`);

export const invalidFormula = (detail: string): AirtableApiError =>
  new AirtableApiError(422, 'INVALID_FILTER_BY_FORMULA', `The formula for filtering records is invalid: ${detail}`);
