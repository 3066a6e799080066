// multipart/form-data, as serverless-api uploads a Function or Asset Version (form-data: Path, Visibility
// and the Content file). Parsed here because the runtime handler's local server replaces the global
// `Response` (whose formData() would do it) with Twilio's own in the process that runs it.

export interface MultipartForm {
  readonly fields: Record<string, string>;
  readonly files: { readonly name: string; readonly type: string; readonly content: Buffer }[];
}

/** The fields and files of a multipart body, or undefined when it is not one. */
export function parseMultipart(body: Buffer, contentType: string): MultipartForm | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const form: MultipartForm = { fields: {}, files: [] };
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return form;
    const next = body.indexOf(delimiter, at);
    if (next < 0) return undefined;
    const part = body.subarray(at + 2, next - 2); // between the CRLFs around it
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) return undefined;
    if (/filename="/i.test(headers)) form.files.push({ name, type: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream', content: Buffer.from(content) });
    else form.fields[name] = content.toString('utf8');
    at = next;
  }
}
