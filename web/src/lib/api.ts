// The one fetch wrapper of the dashboard: JSON in and out, same-origin relative URLs, the
// CSRF header on state changes, berth's error shape turned into a thrown ApiError, and a
// redirect to /login (keeping the current path) on 401.

export class ApiError extends Error {
	readonly status: number;
	readonly code: string;
	/** Seconds from a Retry-After header (429, 503), or null. */
	readonly retryAfter: number | null;

	constructor(status: number, code: string, message: string, retryAfter: number | null = null) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.retryAfter = retryAfter;
	}
}

let csrfToken: string | null = null;

/** Remember the CSRF token from the login answer or GET /api/auth/me. */
export function setCsrfToken(token: string | null | undefined): void {
	csrfToken = token ?? null;
}

export function getCsrfToken(): string | null {
	return csrfToken;
}

type UnauthorizedHandler = (returnTo: string) => void;

let onUnauthorized: UnauthorizedHandler = (returnTo) => {
	if (typeof window !== 'undefined') {
		window.location.assign(loginUrl(returnTo));
	}
};

/** Replace what a 401 does (the layout routes it through SvelteKit's goto). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
	onUnauthorized = handler;
}

/** A return path is kept only if it is a local path (no scheme, no //host, no backslash). */
export function safeReturnTo(value: string | null | undefined): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || /[\\\r\n]/.test(value)) {
		return '/';
	}
	return value;
}

export function loginUrl(returnTo: string): string {
	const target = safeReturnTo(returnTo);
	if (target === '/' || target.startsWith('/login')) return '/login';
	return `/login?return_to=${encodeURIComponent(target)}`;
}

function currentPath(): string {
	if (typeof window === 'undefined') return '/';
	return window.location.pathname + window.location.search;
}

export function parseRetryAfter(header: string | null): number | null {
	if (header === null) return null;
	const seconds = Number.parseInt(header, 10);
	return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

export interface RequestOptions {
	/** Do not redirect to /login on 401 (the login page itself, the session probe). */
	noRedirect?: boolean;
	signal?: AbortSignal;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export async function request<T>(
	method: string,
	path: string,
	body?: unknown,
	options: RequestOptions = {}
): Promise<T> {
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	if (!SAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

	let response: Response;
	try {
		response = await fetch(path, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			credentials: 'same-origin',
			signal: options.signal
		});
	} catch (err) {
		if (err instanceof DOMException && err.name === 'AbortError') throw err;
		throw new ApiError(0, 'network', 'berth cannot be reached; check your connection');
	}

	const text = await response.text();
	let data: unknown = null;
	if (text.length > 0) {
		try {
			data = JSON.parse(text);
		} catch {
			data = null;
		}
	}

	if (!response.ok) {
		const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
		const error = new ApiError(
			response.status,
			err?.code ?? 'http_' + response.status,
			err?.message ?? `${response.status} ${response.statusText || 'error'}`,
			parseRetryAfter(response.headers.get('Retry-After'))
		);
		if (response.status === 401 && !options.noRedirect) {
			csrfToken = null;
			onUnauthorized(currentPath());
		}
		throw error;
	}
	return data as T;
}

export const api = {
	get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
	post: <T>(path: string, body: unknown = {}, options?: RequestOptions) =>
		request<T>('POST', path, body, options),
	put: <T>(path: string, body: unknown, options?: RequestOptions) =>
		request<T>('PUT', path, body, options),
	del: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options)
};

/** Path segment helper: `/api/projects/${seg(name)}`. */
export const seg = encodeURIComponent;
