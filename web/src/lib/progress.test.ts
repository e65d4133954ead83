import { describe, expect, it } from 'vitest';
import { formatBytes, pullProgressView, type DeployProgressEvent } from './progress';

const event = (patch: Partial<DeployProgressEvent>): DeployProgressEvent => ({
	deploy_id: 1,
	step: 'pull',
	layers_done: 0,
	layers_total: 0,
	bytes_done: 0,
	bytes_total: 0,
	done: false,
	...patch
});

describe('pullProgressView', () => {
	it('measures by bytes once layer sizes are known', () => {
		const v = pullProgressView(event({ layers_done: 1, layers_total: 3, bytes_done: 12_400_000, bytes_total: 41_200_000 }));
		expect(v.percent).toBe(30);
		expect(v.label).toBe('1 of 3 layers · 12.4 MB of 41.2 MB');
	});

	it('counts layers while no size is known yet', () => {
		expect(pullProgressView(event({ layers_done: 1, layers_total: 4 }))).toEqual({ percent: 25, label: '1 of 4 layers' });
	});

	it('is indeterminate before the daemon names any layer', () => {
		expect(pullProgressView(event({})).percent).toBeNull();
	});

	it('is full when the pull is done, and says so for an image already present', () => {
		expect(pullProgressView(event({ done: true, layers_done: 1, layers_total: 1, bytes_done: 2048, bytes_total: 2048 }))).toEqual({
			percent: 100,
			label: 'pulled 1 of 1 layer · 2.0 kB'
		});
		expect(pullProgressView(event({ done: true })).label).toBe('image already present');
	});

	it('never passes 100 when the daemon reports more bytes than it announced', () => {
		expect(pullProgressView(event({ layers_total: 1, bytes_done: 1100, bytes_total: 1000 })).percent).toBe(100);
	});
});

describe('formatBytes', () => {
	it('uses decimal units as Docker does', () => {
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(36_400)).toBe('36.4 kB');
		expect(formatBytes(41_200_000)).toBe('41.2 MB');
	});
});
