// One shared "now" for relative times and countdowns, updated every second in the browser.
export const ticker = $state({ now: Date.now() });

let started = false;

export function startTicker(): void {
	if (started || typeof window === 'undefined') return;
	started = true;
	setInterval(() => {
		ticker.now = Date.now();
	}, 1000);
}
