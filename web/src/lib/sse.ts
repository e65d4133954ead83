// Server-Sent Events with berth's resume rules, written without the browser so it can be
// unit-tested: the EventSource constructor, the clock and the random source are injected.
//
// - On an error the EventSource is closed (its own reconnect cannot carry our resume id in
//   a query string) and a new one is opened after an exponential backoff with jitter:
//   0.5 s doubling up to 30 s; the backoff starts over once a connection stayed open ≥ 10 s.
// - Reconnects resume from the last seen event id, passed as `?last_event_id=<id>` for
//   /api/events (the server reads it like the Last-Event-ID header) or `?after=<seq>` for a
//   deploy log.
// - Subscribers get `onRefresh` when their state may be stale: on a `stream.reset` event, or
//   when the stream reconnects after more than 60 s without a connection (or without an id
//   to resume from).

export type ConnectionState = 'live' | 'reconnecting' | 'offline';

export interface ConnectionStatus {
	state: ConnectionState;
	/** Clock time (ms) of the next connection attempt while not live, else null. */
	retryAt: number | null;
	/** Consecutive failed attempts since the stream was last live. */
	failures: number;
	lastEventId: string | null;
}

/** What the client needs of an EventSource (the browser's fits). */
export interface EventSourceLike {
	onopen: ((ev: unknown) => unknown) | null;
	onerror: ((ev: unknown) => unknown) | null;
	addEventListener(type: string, listener: (ev: MessageEventLike) => void): void;
	close(): void;
}

export interface MessageEventLike {
	data: string;
	lastEventId: string;
}

export interface Clock {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
	clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>)
};

export interface BackoffOptions {
	initialMs?: number;
	maxMs?: number;
	factor?: number;
	/** Fraction of the nominal delay taken off at random: delay ∈ [nominal·(1−jitter), nominal]. */
	jitter?: number;
	random?: () => number;
}

/** Exponential backoff with jitter; never waits longer than `maxMs`. */
export class Backoff {
	readonly initialMs: number;
	readonly maxMs: number;
	readonly factor: number;
	readonly jitter: number;
	private readonly random: () => number;
	private attempt = 0;

	constructor(options: BackoffOptions = {}) {
		this.initialMs = options.initialMs ?? 500;
		this.maxMs = options.maxMs ?? 30_000;
		this.factor = options.factor ?? 2;
		this.jitter = options.jitter ?? 0.25;
		this.random = options.random ?? Math.random;
	}

	/** The delay before attempt `n` (0-based) without jitter. */
	nominal(n: number): number {
		return Math.min(this.maxMs, this.initialMs * Math.pow(this.factor, n));
	}

	/** The delay before the next attempt; each call moves one attempt on. */
	next(): number {
		const nominal = this.nominal(this.attempt);
		this.attempt += 1;
		const r = Math.min(1, Math.max(0, this.random()));
		return Math.round(nominal * (1 - this.jitter * r));
	}

	reset(): void {
		this.attempt = 0;
	}

	get attempts(): number {
		return this.attempt;
	}
}

export function withResume(url: string, param: string, id: string | null): string {
	if (id === null || id === '') return url;
	return `${url}${url.includes('?') ? '&' : '?'}${param}=${encodeURIComponent(id)}`;
}

export interface StreamEvent<T = unknown> {
	type: string;
	id: string | null;
	data: T;
}

export interface StreamSubscriber {
	onEvent?: (event: StreamEvent) => void;
	/** Reload state over REST: events may have been missed. */
	onRefresh?: () => void;
}

export interface StreamClientOptions {
	url: string;
	createEventSource: (url: string) => EventSourceLike;
	/** The named events to listen to (`event:` lines). */
	eventTypes: readonly string[];
	/** Query parameter that carries the resume id on a reconnect. */
	resumeParam?: string;
	/** A named event after which the stream is finished (the deploy log's `end`). */
	endEvent?: string;
	clock?: Clock;
	backoff?: Backoff;
	/** A connection open this long resets the backoff. */
	stableAfterMs?: number;
	/** A reconnect after a longer disconnection triggers onRefresh (Infinity: never). */
	refreshGapMs?: number;
	/** A reconnect without an id to resume from triggers onRefresh. */
	refreshWithoutResume?: boolean;
	/** Disconnected this long (or the network is down): the state is `offline`. */
	offlineAfterMs?: number;
	isOnline?: () => boolean;
}

type Listener<T> = (value: T) => void;

export class EventStreamClient {
	private readonly options: Required<
		Omit<StreamClientOptions, 'endEvent' | 'backoff' | 'clock' | 'isOnline'>
	> &
		Pick<StreamClientOptions, 'endEvent'>;
	private readonly clock: Clock;
	readonly backoff: Backoff;
	private readonly isOnline: () => boolean;

	private source: EventSourceLike | null = null;
	private timer: unknown = null;
	private started = false;
	private ended = false;
	private everOpened = false;
	private openedAt: number | null = null;
	private disconnectedAt: number | null = null;
	private lastId: string | null = null;
	private current: ConnectionStatus = {
		state: 'reconnecting',
		retryAt: null,
		failures: 0,
		lastEventId: null
	};

	private readonly subscribers = new Set<StreamSubscriber>();
	private readonly statusListeners = new Set<Listener<ConnectionStatus>>();

	constructor(options: StreamClientOptions) {
		this.options = {
			resumeParam: 'last_event_id',
			stableAfterMs: 10_000,
			refreshGapMs: 60_000,
			refreshWithoutResume: true,
			offlineAfterMs: 60_000,
			...options
		};
		this.clock = options.clock ?? systemClock;
		this.backoff = options.backoff ?? new Backoff();
		this.isOnline = options.isOnline ?? (() => true);
	}

	/** Svelte store contract: `$status` in a component. */
	readonly status = {
		subscribe: (fn: Listener<ConnectionStatus>): (() => void) => {
			this.statusListeners.add(fn);
			fn(this.current);
			return () => {
				this.statusListeners.delete(fn);
			};
		}
	};

	get connection(): ConnectionStatus {
		return this.current;
	}

	get lastEventId(): string | null {
		return this.lastId;
	}

	/** Resume from this id on the first connection too (e.g. a deploy log already shown). */
	set lastEventId(id: string | null) {
		this.lastId = id;
	}

	subscribe(subscriber: StreamSubscriber): () => void {
		this.subscribers.add(subscriber);
		return () => {
			this.subscribers.delete(subscriber);
		};
	}

	start(): void {
		if (this.started) return;
		this.started = true;
		this.ended = false;
		this.connect();
	}

	stop(): void {
		this.started = false;
		this.cancelTimer();
		this.closeSource();
		this.openedAt = null;
		this.setStatus({ state: 'offline', retryAt: null });
	}

	get running(): boolean {
		return this.started;
	}

	/** Skip the wait (a "retry now" button, the browser coming back online). */
	reconnectNow(): void {
		if (!this.started || this.source !== null) return;
		this.cancelTimer();
		this.connect();
	}

	/** The browser's online/offline events. */
	networkChanged(online: boolean): void {
		if (!this.started) return;
		if (online) {
			this.backoff.reset();
			this.reconnectNow();
		} else if (this.current.state !== 'live') {
			this.setStatus({ state: 'offline' });
		}
	}

	private connect(): void {
		this.timer = null;
		if (!this.started) return;
		const url = withResume(this.options.url, this.options.resumeParam, this.lastId);
		const source = this.options.createEventSource(url);
		this.source = source;
		this.setStatus({ retryAt: null });
		source.onopen = () => {
			if (this.source === source) this.handleOpen();
		};
		source.onerror = () => {
			if (this.source === source) this.handleError();
		};
		for (const type of this.options.eventTypes) {
			source.addEventListener(type, (ev) => {
				if (this.source === source) this.handleMessage(type, ev);
			});
		}
	}

	private handleOpen(): void {
		const now = this.clock.now();
		const reconnect = this.everOpened || this.disconnectedAt !== null;
		const gap = this.disconnectedAt === null ? 0 : now - this.disconnectedAt;
		const resumedWithoutId = this.lastId === null;
		this.everOpened = true;
		this.openedAt = now;
		this.disconnectedAt = null;
		this.setStatus({ state: 'live', retryAt: null, failures: 0 });
		if (
			reconnect &&
			(gap > this.options.refreshGapMs ||
				(this.options.refreshWithoutResume && resumedWithoutId))
		) {
			this.emitRefresh();
		}
	}

	private handleError(): void {
		const now = this.clock.now();
		this.closeSource();
		if (this.ended) return;
		if (this.openedAt !== null && now - this.openedAt >= this.options.stableAfterMs) {
			this.backoff.reset();
		}
		this.openedAt = null;
		if (this.disconnectedAt === null) this.disconnectedAt = now;
		const delay = this.backoff.next();
		const offline = !this.isOnline() || now - this.disconnectedAt > this.options.offlineAfterMs;
		this.setStatus({
			state: offline ? 'offline' : 'reconnecting',
			retryAt: now + delay,
			failures: this.current.failures + 1
		});
		this.timer = this.clock.setTimeout(() => this.connect(), delay);
	}

	private handleMessage(type: string, ev: MessageEventLike): void {
		const id = ev.lastEventId ? ev.lastEventId : null;
		if (id !== null && type !== this.options.endEvent) {
			this.lastId = id;
			this.setStatus({ lastEventId: id });
		}
		let data: unknown = null;
		try {
			data = ev.data ? JSON.parse(ev.data) : null;
		} catch {
			data = ev.data;
		}
		if (type === 'stream.reset') {
			this.emitRefresh();
			return;
		}
		const event: StreamEvent = { type, id, data };
		for (const s of [...this.subscribers]) s.onEvent?.(event);
		if (type === this.options.endEvent) {
			this.ended = true;
			this.started = false;
			this.cancelTimer();
			this.closeSource();
			this.setStatus({ state: 'offline', retryAt: null });
		}
	}

	private emitRefresh(): void {
		for (const s of [...this.subscribers]) s.onRefresh?.();
	}

	private closeSource(): void {
		if (this.source) {
			const source = this.source;
			this.source = null;
			source.onopen = null;
			source.onerror = null;
			source.close();
		}
	}

	private cancelTimer(): void {
		if (this.timer !== null) {
			this.clock.clearTimeout(this.timer);
			this.timer = null;
		}
	}

	private setStatus(patch: Partial<ConnectionStatus>): void {
		this.current = { ...this.current, ...patch };
		for (const fn of [...this.statusListeners]) fn(this.current);
	}
}

/** The event types of GET /api/events (docs/api.md §4). */
export const BERTH_EVENT_TYPES = [
	'deploy.status',
	'deploy.log',
	'instance.status',
	'stream.reset'
] as const;

export interface DeployStatusEvent {
	deploy_id: number;
	project: string;
	stage: string;
	state: string;
	reason: string;
}

export interface DeployLogEvent {
	deploy_id: number;
	project: string;
	stage: string;
	seq: number;
	level: string;
	message: string;
}

export interface InstanceStatusEvent {
	deploy_id: number;
	project: string;
	stage: string;
	container: string;
	color: string;
	status: string;
}

/** Seconds left until `retryAt`, rounded up, never negative. */
export function secondsUntil(retryAt: number | null, now: number): number | null {
	if (retryAt === null) return null;
	return Math.max(0, Math.ceil((retryAt - now) / 1000));
}
