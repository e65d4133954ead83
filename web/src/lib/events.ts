// The one shared /api/events client of the page, and a deploy log stream factory.
import { BERTH_EVENT_TYPES, EventStreamClient, type EventSourceLike } from './sse';

function browserEventSource(url: string): EventSourceLike {
	return new EventSource(url, { withCredentials: true }) as unknown as EventSourceLike;
}

function isOnline(): boolean {
	return typeof navigator === 'undefined' || navigator.onLine !== false;
}

let shared: EventStreamClient | null = null;

/** The shared client for GET /api/events (all events; pages filter by project/stage). */
export function events(): EventStreamClient {
	if (shared === null) {
		const client = new EventStreamClient({
			url: '/api/events',
			createEventSource: browserEventSource,
			eventTypes: BERTH_EVENT_TYPES,
			resumeParam: 'last_event_id',
			isOnline
		});
		if (typeof window !== 'undefined') {
			window.addEventListener('online', () => client.networkChanged(true));
			window.addEventListener('offline', () => client.networkChanged(false));
		}
		shared = client;
	}
	return shared;
}

/** A stream of one deploy's log: replays history, then live lines (and live image-pull
 * `progress`), then `end`. */
export function deployLogStream(deployId: number): EventStreamClient {
	return new EventStreamClient({
		url: `/api/deploys/${deployId}/log`,
		createEventSource: browserEventSource,
		eventTypes: ['log', 'progress', 'end'],
		endEvent: 'end',
		resumeParam: 'after',
		refreshGapMs: Number.POSITIVE_INFINITY,
		refreshWithoutResume: false,
		isOnline
	});
}
