import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Node's process, without pulling in @types/node for one variable.
declare const process: { env: Record<string, string | undefined> };

// `vite dev` forwards /api to a running `berth serve` (BERTH_URL, default 127.0.0.1:18600).
const berth = process.env.BERTH_URL ?? 'http://127.0.0.1:18600';

export default defineConfig({
	plugins: [sveltekit()],
	server: {
		host: '127.0.0.1',
		proxy: {
			'/api': { target: berth, changeOrigin: false, ws: false }
		}
	},
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
