import type { DeployState, LogLine } from './types';
import { isFinal } from './types';

export const STEPS: readonly DeployState[] = [
	'queued',
	'pulling',
	'starting',
	'checking',
	'switching',
	'draining'
];

export type StepStatus = 'done' | 'current' | 'pending' | 'skipped' | 'not-reached';

export interface TimelineStep {
	name: string;
	status: StepStatus;
}

/** Steps a log line shows the deploy reached (berth's engine messages). */
export function stepsFromLog(lines: readonly LogLine[]): Set<string> {
	const seen = new Set<string>(['queued']);
	for (const { message } of lines) {
		const m = message.toLowerCase();
		if (m.startsWith('pulling') || m.startsWith('pulled')) seen.add('pulling');
		else if (m.startsWith('creating instance') || m.startsWith('started instance') || m.startsWith('starting'))
			seen.add('starting');
		else if (m.startsWith('checking') || (m.startsWith('instance ') && m.includes('healthy')))
			seen.add('checking');
		else if (m.startsWith('switching') && !m.includes(' back ')) seen.add('switching');
		else if (m.startsWith('draining')) seen.add('draining');
		// Old instances stop before the new one starts too (recreate): that is no drain.
		else if (seen.has('switching') && (m.startsWith('stopping') || m.startsWith('stopped')))
			seen.add('draining');
	}
	return seen;
}

/**
 * The timeline of a deploy: queued → pulling → starting → checking → switching → draining →
 * final state. `seen` are the states known to have been reached (status events, the log).
 */
export function timeline(state: DeployState, seen: ReadonlySet<string>): TimelineStep[] {
	const final = isFinal(state);
	const index = STEPS.indexOf(state);
	let furthest = -1;
	STEPS.forEach((s, i) => {
		if (seen.has(s)) furthest = Math.max(furthest, i);
	});
	const steps: TimelineStep[] = STEPS.map((name, i) => {
		if (!final) {
			if (i < index) return { name, status: seen.has(name) || i === 0 ? 'done' : 'skipped' };
			if (i === index) return { name, status: 'current' };
			return { name, status: 'pending' };
		}
		if (seen.has(name) || i < furthest) return { name, status: seen.has(name) ? 'done' : 'skipped' };
		return { name, status: state === 'succeeded' ? 'skipped' : 'not-reached' };
	});
	steps.push({ name: final ? state : 'final state', status: final ? 'done' : 'pending' });
	return steps;
}
