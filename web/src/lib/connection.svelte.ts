// The shared event stream's connection status as rune state for the header indicator.
import { events } from './events';
import type { ConnectionStatus } from './sse';

export const connection = $state<{ status: ConnectionStatus }>({
	status: { state: 'reconnecting', retryAt: null, failures: 0, lastEventId: null }
});

let bound = false;

export function bindConnection(): void {
	if (bound) return;
	bound = true;
	events().status.subscribe((s) => {
		connection.status = s;
	});
}
