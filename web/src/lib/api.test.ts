import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, loginUrl, safeReturnTo, setCsrfToken, setUnauthorizedHandler } from './api';

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
	return vi.fn(async () =>
		new Response(body === undefined ? '' : JSON.stringify(body), { status, headers })
	);
}

afterEach(() => {
	vi.unstubAllGlobals();
	setCsrfToken(null);
});

describe('api', () => {
	it('sends X-CSRF-Token on state changes only', async () => {
		const fetchMock = respond(200, { ok: true });
		vi.stubGlobal('fetch', fetchMock);
		setCsrfToken('abc');
		await api.get('/api/projects');
		await api.post('/api/tokens', { name: 'ci' });
		const [, getInit] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
		const [, postInit] = fetchMock.mock.calls[1] as unknown as [string, RequestInit];
		expect((getInit.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined();
		expect((postInit.headers as Record<string, string>)['X-CSRF-Token']).toBe('abc');
		expect(postInit.body).toBe('{"name":"ci"}');
	});

	it('turns berth errors into ApiError with the message and Retry-After', async () => {
		vi.stubGlobal(
			'fetch',
			respond(429, { error: { code: 'too_many_attempts', message: 'slow down' } }, { 'Retry-After': '8' })
		);
		const err = (await api.post('/api/auth/login', {}, { noRedirect: true }).catch((e: unknown) => e)) as ApiError;
		expect(err).toBeInstanceOf(ApiError);
		expect(err.message).toBe('slow down');
		expect(err.code).toBe('too_many_attempts');
		expect(err.retryAfter).toBe(8);
	});

	it('calls the unauthorized handler on 401', async () => {
		vi.stubGlobal('fetch', respond(401, { error: { code: 'unauthorized', message: 'no' } }));
		const handler = vi.fn();
		setUnauthorizedHandler(handler);
		await expect(api.get('/api/projects')).rejects.toThrow('no');
		expect(handler).toHaveBeenCalledOnce();
	});
});

describe('return paths', () => {
	it('keeps only local paths', () => {
		expect(safeReturnTo('/deploys/4')).toBe('/deploys/4');
		expect(safeReturnTo('//evil.example')).toBe('/');
		expect(safeReturnTo('https://evil.example')).toBe('/');
		expect(safeReturnTo('/a\\b')).toBe('/');
		expect(safeReturnTo(null)).toBe('/');
		expect(loginUrl('/deploys/4?x=1')).toBe('/login?return_to=%2Fdeploys%2F4%3Fx%3D1');
		expect(loginUrl('/')).toBe('/login');
	});
});
