import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Pure single-page app: berth serves build/ at `/` and answers unknown paths with
		// index.html, so every route is rendered in the browser.
		adapter: adapter({
			pages: 'build',
			assets: 'build',
			fallback: 'index.html',
			precompress: false,
			strict: true
		}),
		// A fixed version name keeps builds reproducible (the default is a timestamp).
		version: { name: 'berth-dashboard' }
	}
};

export default config;
