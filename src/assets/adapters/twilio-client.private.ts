// Builds the Twilio REST client every adapter uses. Config is passed in (nothing here reads the
// environment). With `apiBaseUrl` (TWILIO_API_BASE_URL: the local sandbox and tests) every request,
// whatever Twilio domain it is for (api, messaging, intelligence...), goes to that base with its
// path kept, through our own RequestClient: nothing global is patched.
import type TwilioSdk from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';

type Twilio = TwilioSdk.Twilio;

/**
 * The twilio package, required when the first client is built rather than imported at the top: npm
 * packages stay outside the asset bundle, so a top-level import would cost every Function's cold start
 * about 200 ms, while a menu answers from TwiML alone (core/render-twiml loads only the builders).
 */
function loadTwilio(): typeof TwilioSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by the first REST request only (see above)
  return require('twilio') as typeof TwilioSdk;
}

export interface TwilioClientOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** Send every Twilio REST request here instead of https://<domain>.twilio.com. */
  readonly apiBaseUrl?: string;
  /** Per-request timeout: webhooks answer within 4 s, so a REST call must give up well before. */
  readonly timeoutMs?: number;
}

export const DEFAULT_TWILIO_TIMEOUT_MS = 2500;

/** `https://api.twilio.com/2010-04-01/...?x=1` on base `http://127.0.0.1:4010` → `http://127.0.0.1:4010/2010-04-01/...?x=1`. */
export function rebaseUri(uri: string, base: string): string {
  const target = new URL(uri);
  const root = new URL(base);
  return `${root.origin}${root.pathname.replace(/\/+$/, '')}${target.pathname}${target.search}`;
}

/** A RequestClient that sends every request to `baseUrl` (defined on first use, with the package). */
let RebasingRequestClient: (new (baseUrl: string, opts: RequestClient.RequestClientOptions) => RequestClient) | undefined;
function rebasingRequestClient(sdk: typeof TwilioSdk, baseUrl: string, opts: RequestClient.RequestClientOptions): RequestClient {
  RebasingRequestClient ??= class extends sdk.RequestClient {
    constructor(
      private readonly baseUrl: string,
      opts: RequestClient.RequestClientOptions,
    ) {
      super(opts);
    }

    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      return super.request({ ...opts, uri: rebaseUri(opts.uri, this.baseUrl) });
    }
  };
  return new RebasingRequestClient(baseUrl, opts);
}

export function createTwilioClient(opts: TwilioClientOptions): Twilio {
  const sdk = loadTwilio();
  // Twilio's own retry is left off: it would resend creates, and a call or text must never go twice.
  const httpOptions: RequestClient.RequestClientOptions = {
    timeout: opts.timeoutMs ?? DEFAULT_TWILIO_TIMEOUT_MS,
    autoRetry: false,
  };
  const httpClient = opts.apiBaseUrl
    ? rebasingRequestClient(sdk, opts.apiBaseUrl, httpOptions)
    : new sdk.RequestClient(httpOptions);
  return sdk(opts.accountSid, opts.authToken, { httpClient, autoRetry: false });
}

/** The project's Twilio client for this request's config; undefined when the account's credentials are not set. */
export function twilioClientFor(
  config: { readonly accountSid?: string; readonly authToken?: string; readonly twilioApiBaseUrl?: string },
  timeoutMs?: number,
): Twilio | undefined {
  if (!config.accountSid || !config.authToken) return undefined;
  return createTwilioClient({ accountSid: config.accountSid, authToken: config.authToken, apiBaseUrl: config.twilioApiBaseUrl, timeoutMs });
}
