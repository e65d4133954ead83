import { api, setCsrfToken } from './api';
import type { Identity } from './types';

interface Me {
	user: Identity;
	via: 'session' | 'token';
	csrf_token?: string;
}

/** Who is logged in (null until known or after logout). */
export const session = $state<{ user: Identity | null; loaded: boolean }>({
	user: null,
	loaded: false
});

export function setSession(user: Identity | null, csrf: string | null | undefined): void {
	session.user = user;
	session.loaded = true;
	setCsrfToken(csrf ?? null);
}

/** GET /api/auth/me; a 401 redirects to /login (api.ts). */
export async function loadSession(): Promise<Identity> {
	const me = await api.get<Me>('/api/auth/me');
	setSession(me.user, me.csrf_token);
	return me.user;
}

export function clearSession(): void {
	session.user = null;
	session.loaded = false;
	setCsrfToken(null);
}
