import type { DeployState } from './types';

/** The first 12 hex digits after `sha256:` (or the algorithm's prefix). */
export function shortDigest(digest: string | null | undefined): string {
	if (!digest) return '';
	const i = digest.indexOf(':');
	return (i >= 0 ? digest.slice(i + 1) : digest).slice(0, 12);
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function age(iso: string | null | undefined, now: number): string {
	if (!iso) return '';
	const t = Date.parse(iso);
	if (Number.isNaN(t)) return '';
	const s = Math.max(0, Math.round((now - t) / 1000));
	if (s < 5) return 'just now';
	if (s < 60) return `${s} s ago`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m} min ago`;
	const h = Math.floor(m / 60);
	if (h < 48) return `${h} h ago`;
	return `${Math.floor(h / 24)} d ago`;
}

export function duration(fromIso: string | null, toIso: string | null, now: number): string {
	if (!fromIso) return '';
	const from = Date.parse(fromIso);
	const to = toIso ? Date.parse(toIso) : now;
	const ms = Math.max(0, to - from);
	if (ms < 1000) return `${ms} ms`;
	const s = ms / 1000;
	if (s < 60) return `${s.toFixed(1)} s`;
	return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function localTime(iso: string | null | undefined): string {
	if (!iso) return '';
	const d = new Date(iso);
	return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export type Tone = 'ok' | 'bad' | 'warn' | 'busy' | 'idle';

/** Icon, word and tone for a deploy state: never color alone. */
export function deployStateInfo(state: DeployState | string): { icon: string; label: string; tone: Tone } {
	switch (state) {
		case 'succeeded':
			return { icon: '✓', label: 'succeeded', tone: 'ok' };
		case 'failed':
			return { icon: '✕', label: 'failed', tone: 'bad' };
		case 'rolled_back':
			return { icon: '↶', label: 'rolled back', tone: 'warn' };
		case 'interrupted':
			return { icon: '!', label: 'interrupted', tone: 'warn' };
		case 'cancelled':
			return { icon: '⊘', label: 'cancelled', tone: 'idle' };
		case 'queued':
			return { icon: '…', label: 'queued', tone: 'busy' };
		default:
			return { icon: '⟳', label: state, tone: 'busy' };
	}
}

/** Icon, word and tone for an instance (its health first, else its container state). */
export function instanceInfo(state: string, health: string): { icon: string; label: string; tone: Tone } {
	if (health === 'healthy') return { icon: '♥', label: 'healthy', tone: 'ok' };
	if (health === 'unhealthy') return { icon: '✕', label: 'unhealthy', tone: 'bad' };
	switch (state) {
		case 'healthy':
			return { icon: '♥', label: 'healthy', tone: 'ok' };
		case 'unhealthy':
			return { icon: '✕', label: 'unhealthy', tone: 'bad' };
		case 'exited':
			return { icon: '■', label: 'exited', tone: 'bad' };
		case 'stopped':
		case 'removed':
			return { icon: '■', label: state, tone: 'idle' };
		case 'created':
		case 'started':
			return { icon: '⟳', label: state, tone: 'busy' };
		default:
			return { icon: '?', label: state || 'unknown', tone: 'idle' };
	}
}

export function isProduction(stage: string): boolean {
	return stage === 'production';
}
