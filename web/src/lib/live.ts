// Reload a page's REST state when the event stream says something changed (debounced), or
// asks for a full refresh (stream.reset, long disconnection).
import { events } from './events';
import type { StreamEvent } from './sse';

export function onLiveChanges(
	matches: (event: StreamEvent) => boolean,
	reload: () => void,
	delayMs = 250
): () => void {
	let timer: ReturnType<typeof setTimeout> | null = null;
	const schedule = () => {
		if (timer !== null) return;
		timer = setTimeout(() => {
			timer = null;
			reload();
		}, delayMs);
	};
	const unsubscribe = events().subscribe({
		onEvent: (event) => {
			if (matches(event)) schedule();
		},
		onRefresh: schedule
	});
	return () => {
		unsubscribe();
		if (timer !== null) clearTimeout(timer);
	};
}
