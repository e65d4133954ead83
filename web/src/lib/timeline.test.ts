import { describe, expect, it } from 'vitest';
import { stepsFromLog, timeline } from './timeline';
import type { LogLine } from './types';

const line = (message: string, seq = 1): LogLine => ({ seq, ts: '', level: 'info', message });

describe('timeline', () => {
	it('marks steps before the current one as done and later ones as pending', () => {
		const t = timeline('checking', new Set(['queued', 'pulling', 'starting', 'checking']));
		expect(t.map((s) => s.status)).toEqual(['done', 'done', 'done', 'current', 'pending', 'pending', 'pending']);
		expect(t[6].name).toBe('final state');
	});

	it('shows the final state and unreached steps of a failed deploy', () => {
		const t = timeline('failed', new Set(['queued', 'pulling']));
		expect(t.map((s) => `${s.name}:${s.status}`)).toEqual([
			'queued:done',
			'pulling:done',
			'starting:not-reached',
			'checking:not-reached',
			'switching:not-reached',
			'draining:not-reached',
			'failed:done'
		]);
	});

	it('reads the reached steps from engine log lines', () => {
		const seen = stepsFromLog([
			line('queued x:v1 (trigger manual)'),
			line('pulling x:v1'),
			line('creating instance web-staging-blue-1 from x@sha256:1'),
			line('checking web-staging-blue-1: GET /healthz every 500 ms'),
			line('switching nginx proxy for a to b')
		]);
		expect([...seen].sort()).toEqual(['checking', 'pulling', 'queued', 'starting', 'switching']);
		const t = timeline('succeeded', seen);
		expect(t.find((s) => s.name === 'draining')?.status).toBe('skipped');
	});
});

describe('stepsFromLog', () => {
	it('counts stopping old instances as draining only after the switch', () => {
		const before = stepsFromLog([line('pulling x'), line('stopping old instance a')]);
		expect(before.has('draining')).toBe(false);
		const after = stepsFromLog([line('switching nginx proxy'), line('stopping and removing old instance a')]);
		expect(after.has('draining')).toBe(true);
	});
});

describe('rollback logs', () => {
	it('does not count switching the proxy back as the switch step', () => {
		const seen = stepsFromLog([line('checking a'), line('switching the proxy back to the old instances')]);
		expect(seen.has('switching')).toBe(false);
	});
});
