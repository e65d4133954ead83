import { describe, expect, it, vi } from 'vitest';
import {
	Backoff,
	EventStreamClient,
	secondsUntil,
	withResume,
	type Clock,
	type EventSourceLike,
	type MessageEventLike,
	type StreamEvent
} from './sse';

/** A clock whose time and timers move only when the test says so. */
class FakeClock implements Clock {
	time = 1_000_000;
	private timers: { at: number; fn: () => void; handle: number }[] = [];
	private nextHandle = 1;

	now(): number {
		return this.time;
	}
	setTimeout(fn: () => void, ms: number): unknown {
		const handle = this.nextHandle++;
		this.timers.push({ at: this.time + ms, fn, handle });
		return handle;
	}
	clearTimeout(handle: unknown): void {
		this.timers = this.timers.filter((t) => t.handle !== handle);
	}
	get pending(): number[] {
		return this.timers.map((t) => t.at - this.time);
	}
	/** Move time on, running the timers that fall due, in order. */
	advance(ms: number): void {
		const end = this.time + ms;
		for (;;) {
			this.timers.sort((a, b) => a.at - b.at);
			const t = this.timers[0];
			if (!t || t.at > end) break;
			this.timers.shift();
			this.time = t.at;
			t.fn();
		}
		this.time = end;
	}
}

class FakeEventSource implements EventSourceLike {
	onopen: ((ev: unknown) => unknown) | null = null;
	onerror: ((ev: unknown) => unknown) | null = null;
	closed = false;
	private listeners = new Map<string, ((ev: MessageEventLike) => void)[]>();
	constructor(readonly url: string) {}
	addEventListener(type: string, listener: (ev: MessageEventLike) => void): void {
		this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
	}
	close(): void {
		this.closed = true;
	}
	open(): void {
		this.onopen?.({});
	}
	fail(): void {
		this.onerror?.({});
	}
	emit(type: string, data: unknown, id = ''): void {
		for (const l of this.listeners.get(type) ?? []) l({ data: JSON.stringify(data), lastEventId: id });
	}
}

function setup(random = () => 0.5) {
	const clock = new FakeClock();
	const sources: FakeEventSource[] = [];
	const client = new EventStreamClient({
		url: '/api/events',
		createEventSource: (url) => {
			const s = new FakeEventSource(url);
			sources.push(s);
			return s;
		},
		eventTypes: ['deploy.status', 'deploy.log', 'instance.status', 'stream.reset'],
		clock,
		backoff: new Backoff({ random })
	});
	const events: StreamEvent[] = [];
	const onRefresh = vi.fn();
	client.subscribe({ onEvent: (e) => events.push(e), onRefresh });
	const last = () => sources[sources.length - 1];
	return { clock, sources, client, events, onRefresh, last };
}

describe('Backoff', () => {
	it('doubles from 0.5 s and caps at 30 s', () => {
		const b = new Backoff({ random: () => 0 });
		const delays = Array.from({ length: 10 }, () => b.next());
		expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
	});

	it('keeps jittered delays within [75 %, 100 %] of the nominal delay, never above 30 s', () => {
		for (const r of [0, 0.01, 0.37, 0.5, 0.99, 1]) {
			const b = new Backoff({ random: () => r });
			for (let n = 0; n < 12; n++) {
				const nominal = Math.min(30_000, 500 * 2 ** n);
				const d = b.next();
				expect(d).toBeGreaterThanOrEqual(Math.floor(nominal * 0.75));
				expect(d).toBeLessThanOrEqual(nominal);
				expect(d).toBeLessThanOrEqual(30_000);
			}
		}
	});

	it('uses the random source for jitter', () => {
		const values = [0, 1, 0.5];
		const b = new Backoff({ random: () => values.shift() ?? 0 });
		expect(b.next()).toBe(500); // 500 · (1 − 0)
		expect(b.next()).toBe(750); // 1000 · (1 − 0.25)
		expect(b.next()).toBe(1750); // 2000 · (1 − 0.125)
	});

	it('starts over after reset', () => {
		const b = new Backoff({ random: () => 0 });
		b.next();
		b.next();
		b.next();
		b.reset();
		expect(b.next()).toBe(500);
	});
});

describe('withResume', () => {
	it('adds the id as a query parameter', () => {
		expect(withResume('/api/events', 'last_event_id', null)).toBe('/api/events');
		expect(withResume('/api/events', 'last_event_id', '42')).toBe('/api/events?last_event_id=42');
		expect(withResume('/api/events?project=web', 'last_event_id', '7')).toBe(
			'/api/events?project=web&last_event_id=7'
		);
	});
});

describe('EventStreamClient', () => {
	it('is live once open and delivers parsed events with their ids', () => {
		const { client, last, events } = setup();
		client.start();
		expect(last().url).toBe('/api/events');
		expect(client.connection.state).toBe('reconnecting');
		last().open();
		expect(client.connection.state).toBe('live');
		last().emit('deploy.status', { deploy_id: 1, state: 'pulling' }, '100');
		expect(events).toEqual([{ type: 'deploy.status', id: '100', data: { deploy_id: 1, state: 'pulling' } }]);
		expect(client.lastEventId).toBe('100');
	});

	it('closes the EventSource on error and reconnects with growing, capped delays', () => {
		const { client, clock, sources, last } = setup(() => 0);
		client.start();
		const seen: number[] = [];
		for (let i = 0; i < 9; i++) {
			last().fail();
			expect(sources[sources.length - 1].closed).toBe(true);
			expect(client.connection.state).not.toBe('live');
			const retryAt = client.connection.retryAt!;
			seen.push(retryAt - clock.now());
			expect(clock.pending).toEqual([retryAt - clock.now()]);
			clock.advance(retryAt - clock.now());
		}
		expect(seen).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
		expect(sources).toHaveLength(10);
	});

	it('does not reset the backoff after a short-lived connection', () => {
		const { client, clock, last } = setup(() => 0);
		client.start();
		last().fail(); // 500
		clock.advance(500);
		last().fail(); // 1000
		clock.advance(1000);
		last().open();
		clock.advance(9_999);
		last().fail();
		expect(client.connection.retryAt! - clock.now()).toBe(2000);
	});

	it('resets the backoff after a connection stayed open for 10 s', () => {
		const { client, clock, last } = setup(() => 0);
		client.start();
		last().fail();
		clock.advance(500);
		last().fail();
		clock.advance(1000);
		last().fail();
		clock.advance(2000);
		last().open();
		clock.advance(10_000);
		last().fail();
		expect(client.connection.retryAt! - clock.now()).toBe(500);
	});

	it('passes the last seen id as ?last_event_id= on reconnect', () => {
		const { client, clock, last } = setup(() => 0);
		client.start();
		last().open();
		last().emit('deploy.log', { seq: 1 }, '1767225600000041');
		last().emit('instance.status', { status: 'healthy' }, '1767225600000042');
		last().fail();
		clock.advance(500);
		expect(last().url).toBe('/api/events?last_event_id=1767225600000042');
		// A failed attempt keeps the id for the next one.
		last().fail();
		clock.advance(1000);
		expect(last().url).toBe('/api/events?last_event_id=1767225600000042');
	});

	it('does not refresh after a short gap when it can resume', () => {
		const { client, clock, last, onRefresh } = setup(() => 0);
		client.start();
		last().open();
		last().emit('deploy.status', {}, '5');
		last().fail();
		clock.advance(500);
		last().open();
		expect(onRefresh).not.toHaveBeenCalled();
		expect(client.connection.state).toBe('live');
	});

	it('refreshes after being disconnected for more than 60 s', () => {
		const { client, clock, last, onRefresh } = setup(() => 0);
		client.start();
		last().open();
		last().emit('deploy.status', {}, '5');
		last().fail();
		// Keep failing for more than 60 s.
		while (clock.now() < 1_000_000 + 61_000) {
			clock.advance(client.connection.retryAt! - clock.now());
			last().fail();
		}
		expect(client.connection.state).toBe('offline');
		clock.advance(client.connection.retryAt! - clock.now());
		expect(last().url).toBe('/api/events?last_event_id=5');
		last().open();
		expect(onRefresh).toHaveBeenCalledTimes(1);
		expect(client.connection.state).toBe('live');
	});

	it('refreshes on stream.reset and resumes from its id', () => {
		const { client, clock, last, onRefresh, events } = setup(() => 0);
		client.start();
		last().open();
		last().emit('stream.reset', {}, '1767225600009999');
		expect(onRefresh).toHaveBeenCalledTimes(1);
		expect(events).toEqual([]);
		last().fail();
		clock.advance(500);
		expect(last().url).toBe('/api/events?last_event_id=1767225600009999');
	});

	it('refreshes on a reconnect that has no id to resume from', () => {
		const { client, clock, last, onRefresh } = setup(() => 0);
		client.start();
		last().open();
		expect(onRefresh).not.toHaveBeenCalled(); // first connection: pages load their own state
		last().fail();
		clock.advance(500);
		last().open();
		expect(onRefresh).toHaveBeenCalledTimes(1);
	});

	it('publishes its status as a store and stops cleanly', () => {
		const { client, clock, last } = setup(() => 0);
		const states: string[] = [];
		const unsubscribe = client.status.subscribe((s) => states.push(s.state));
		client.start();
		last().open();
		last().fail();
		expect(client.connection.retryAt).toBe(clock.now() + 500);
		client.stop();
		expect(clock.pending).toEqual([]);
		unsubscribe();
		expect(states[0]).toBe('reconnecting');
		expect(states).toContain('live');
		expect(states[states.length - 1]).toBe('offline');
	});

	it('ignores events from a source it already closed', () => {
		const { client, clock, sources, last, events } = setup(() => 0);
		client.start();
		last().open();
		last().fail();
		clock.advance(500);
		sources[0].emit('deploy.status', {}, '99');
		expect(events).toEqual([]);
		expect(client.lastEventId).toBeNull();
	});

	it('reconnects at once when the network comes back', () => {
		const { client, clock, sources, last } = setup(() => 0);
		client.start();
		last().fail();
		clock.advance(500);
		last().fail();
		expect(sources).toHaveLength(2);
		client.networkChanged(true);
		expect(sources).toHaveLength(3);
		expect(clock.pending).toEqual([]);
	});
});

describe('deploy log stream', () => {
	it('resumes with ?after=<seq> and stops for good at `end`', () => {
		const clock = new FakeClock();
		const sources: FakeEventSource[] = [];
		const client = new EventStreamClient({
			url: '/api/deploys/7/log',
			createEventSource: (url) => {
				const s = new FakeEventSource(url);
				sources.push(s);
				return s;
			},
			eventTypes: ['log', 'end'],
			endEvent: 'end',
			resumeParam: 'after',
			refreshGapMs: Infinity,
			refreshWithoutResume: false,
			clock,
			backoff: new Backoff({ random: () => 0 })
		});
		const types: string[] = [];
		const onRefresh = vi.fn();
		client.subscribe({ onEvent: (e) => types.push(e.type), onRefresh });
		client.start();
		sources[0].open();
		sources[0].emit('log', { seq: 1 }, '1');
		sources[0].emit('log', { seq: 2 }, '2');
		sources[0].fail();
		clock.advance(500);
		expect(sources[1].url).toBe('/api/deploys/7/log?after=2');
		sources[1].open();
		sources[1].emit('log', { seq: 3 }, '3');
		sources[1].emit('end', { state: 'succeeded', reason: '' });
		expect(types).toEqual(['log', 'log', 'log', 'end']);
		expect(sources[1].closed).toBe(true);
		expect(client.running).toBe(false);
		expect(clock.pending).toEqual([]);
		expect(onRefresh).not.toHaveBeenCalled();
	});
});

describe('secondsUntil', () => {
	it('rounds up and never goes below zero', () => {
		expect(secondsUntil(null, 0)).toBeNull();
		expect(secondsUntil(1500, 0)).toBe(2);
		expect(secondsUntil(1000, 2000)).toBe(0);
	});
});
