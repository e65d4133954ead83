// The image-pull progress bar of a deploy: what a deploy log stream's `progress` event says,
// turned into a percentage and a sentence (docs/api.md, deploy.progress).

export interface DeployProgressEvent {
	deploy_id: number;
	step: string;
	layers_done: number;
	layers_total: number;
	bytes_done: number;
	bytes_total: number;
	done: boolean;
}

export interface ProgressView {
	/** 0–100, or null while nothing is known to measure against (an indeterminate bar). */
	percent: number | null;
	label: string;
}

/** "41.2 MB", "36.4 kB", "512 B": decimal units, as Docker prints them. */
export function formatBytes(bytes: number): string {
	if (bytes < 1000) return `${bytes} B`;
	const units = ['kB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = -1;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}
	return `${value.toFixed(1)} ${units[unit]}`;
}

export function pullProgressView(p: DeployProgressEvent): ProgressView {
	const layers = `${p.layers_done} of ${p.layers_total} ${p.layers_total === 1 ? 'layer' : 'layers'}`;
	if (p.done) {
		if (p.layers_total === 0) return { percent: 100, label: 'image already present' };
		const size = p.bytes_total > 0 ? ` · ${formatBytes(p.bytes_total)}` : '';
		return { percent: 100, label: `pulled ${layers}${size}` };
	}
	// Bytes are the better measure, but the daemon names a layer's size only once it starts
	// downloading it; before that, count layers.
	if (p.bytes_total > 0) {
		const percent = Math.min(100, Math.floor((p.bytes_done / p.bytes_total) * 100));
		return { percent, label: `${layers} · ${formatBytes(p.bytes_done)} of ${formatBytes(p.bytes_total)}` };
	}
	if (p.layers_total > 0) {
		return { percent: Math.floor((p.layers_done / p.layers_total) * 100), label: layers };
	}
	return { percent: null, label: 'waiting for the registry' };
}
