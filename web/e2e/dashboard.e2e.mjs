#!/usr/bin/env node
// End-to-end check of the dashboard against a running berth, with playwright-core driving
// Debian's chromium. Not part of any build.
//
//   BASE_URL=http://127.0.0.1:5173 ADMIN_PASSWORD=... SCREENSHOT_DIR=/tmp/shots \
//     node web/e2e/dashboard.e2e.mjs
//
// Environment: BASE_URL (the dashboard; default http://127.0.0.1:8080), ADMIN_PASSWORD
// (required), ADMIN_USER (default admin), SCREENSHOT_DIR (default ./screenshots),
// DEPLOY_TAG (default v2), CHROMIUM (default /usr/bin/chromium), PROMOTE=0 to skip promoting,
// RESTART_DIR: a folder shared with whoever runs berth, to check that the page reconnects by
// itself when berth is killed and started again. The script writes RESTART_DIR/kill-now and
// waits for RESTART_DIR/restarted; the other side kills berth, waits a few seconds, starts it
// on the same address and data, then writes `restarted` (tests/integration/dashboard_test.cpp).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const ADMIN_USER = process.env.ADMIN_USER ?? 'admin';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;
const SCREENSHOT_DIR = resolve(process.env.SCREENSHOT_DIR ?? 'screenshots');
const DEPLOY_TAG = process.env.DEPLOY_TAG ?? 'v2';
const PROMOTE = process.env.PROMOTE !== '0';
const RESTART_DIR = process.env.RESTART_DIR;

if (!ADMIN_PASSWORD) {
	console.error('ADMIN_PASSWORD is required');
	process.exit(2);
}
mkdirSync(SCREENSHOT_DIR, { recursive: true });

let step = 0;
function log(message) {
	console.log(`[e2e] ${message}`);
}
async function shot(page, name) {
	step += 1;
	const file = join(SCREENSHOT_DIR, `${String(step).padStart(2, '0')}-${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	log(`screenshot ${file}`);
}
function check(condition, message) {
	if (!condition) throw new Error(`check failed: ${message}`);
	log(`ok: ${message}`);
}

const profile = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
	executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
	headless: true,
	args: [
		'--headless',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-quic',
		'--no-first-run',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync'
	],
	viewport: { width: 1280, height: 900 }
});

let failed = false;
try {
	const page = context.pages()[0] ?? (await context.newPage());
	const consoleErrors = [];
	page.on('console', (msg) => {
		if (msg.type() === 'error') consoleErrors.push(msg.text());
	});
	page.on('pageerror', (err) => consoleErrors.push(String(err)));

	// 1. Not signed in: the app sends us to /login, keeping where we wanted to go.
	await page.goto(`${BASE_URL}/settings`);
	await page.waitForURL(/\/login/);
	check(page.url().includes('return_to=%2Fsettings'), 'redirected to /login with return_to');
	await page.getByLabel('Username').waitFor();
	await shot(page, 'login');

	// 2. A wrong password is refused with the right words.
	await page.getByLabel('Username').fill(ADMIN_USER);
	await page.getByLabel('Password').fill('definitely-not-the-password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByText('wrong username or password').waitFor();
	check(true, 'wrong password shows "wrong username or password"');
	await shot(page, 'login-wrong-password');

	// 3. Sign in: back to /settings, then the overview.
	await page.getByLabel('Password').fill(ADMIN_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(`${BASE_URL}/settings`);
	check(true, 'signed in and returned to /settings');

	await page.getByRole('link', { name: 'Overview' }).click();
	await page.waitForURL(`${BASE_URL}/`);
	const projectHeading = page.locator('section.project h2').first();
	await projectHeading.waitFor();
	const projectName = (await projectHeading.textContent())?.trim();
	check(Boolean(projectName), `overview shows project ${projectName}`);
	await page.locator('.conn-live').waitFor({ timeout: 15_000 });
	check(true, 'connection indicator says live');
	await shot(page, 'overview');

	// Pick a stage to deploy to: one that does not promote from another.
	const { projects } = await (await page.request.get(`${BASE_URL}/api/projects`)).json();
	const project = projects.find((p) => p.name === projectName);
	const target = project.stages.find((s) => !s.promote_from) ?? project.stages[0];
	const promoted = project.stages.find((s) => s.promote_from === target.name);

	// 4. Stage page, deploy a tag, follow the live log until it ends.
	await page
		.getByRole('article', { name: `${project.name} ${target.name}` })
		.getByRole('link', { name: target.name })
		.click();
	await page.waitForURL(new RegExp(`/projects/${project.name}/stages/${target.name}$`));
	await page.getByRole('heading', { name: 'Deploy a tag' }).waitFor();
	// The tags the registry offers for the stage (GET .../tags), as a hint next to the form.
	await page.getByText(/tags? in the registry/).waitFor();
	check(
		(await page.locator('#offered-tags option').count()) > 0,
		'the stage page offers the registry\'s tags'
	);
	await shot(page, 'stage');

	await page.getByLabel('Tag', { exact: true }).fill(DEPLOY_TAG);
	await page.getByRole('button', { name: 'Deploy', exact: true }).click();
	await page.waitForURL(/\/deploys\/\d+$/);
	const deployId = page.url().split('/').pop();
	log(`deploy #${deployId} of ${DEPLOY_TAG} to ${project.name}/${target.name}`);
	await page.locator('.log-end', { hasText: 'succeeded' }).waitFor({ timeout: 120_000 });
	check(true, 'live log shows "succeeded"');
	await page.locator('.timeline .step-done', { hasText: 'succeeded' }).waitFor();
	check(true, 'timeline ends in succeeded');
	await shot(page, 'deploy');

	// 5. Promote it to the next stage (with the production confirmation).
	if (PROMOTE && promoted) {
		await page.goto(`${BASE_URL}/projects/${project.name}/stages/${promoted.name}`);
		await page.getByRole('heading', { name: 'Promote', exact: true }).waitFor();
		const promote = page.getByRole('button', { name: `Promote from ${target.name}` });
		if (await promote.isVisible().catch(() => false)) {
			await promote.click();
			if (promoted.name === 'production') {
				const dialog = page.getByRole('dialog');
				await dialog.waitFor();
				await shot(page, 'promote-confirm');
				await dialog.getByRole('button', { name: `Promote to ${promoted.name}` }).click();
			}
			await page.waitForURL(/\/deploys\/\d+$/);
			await page.locator('.log-end').waitFor({ timeout: 120_000 });
			const end = (await page.locator('.log-end').textContent()) ?? '';
			check(end.includes('succeeded'), `promote to ${promoted.name} ended: ${end.trim()}`);
			await shot(page, 'promote-deploy');
		} else {
			log(`${promoted.name} already runs what ${target.name} runs; no promote offered`);
		}
	}

	// 6. Settings: create an API token; its secret is shown once.
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('heading', { name: 'Users' }).waitFor();
	await page.getByRole('heading', { name: 'Registries and proxy' }).waitFor();
	// The section's heading renders before GET /api/settings answers: wait for its content.
	await page
		.getByText(/^none, reach host/)
		.first()
		.waitFor({ timeout: 10_000 })
		.catch(() => {});
	check(
		(await page.getByText(/^none, reach host/).count()) > 0,
		'settings show the proxy (read-only)'
	);
	const tokenName = `e2e-${Date.now()}`;
	await page.getByLabel('Token name').fill(tokenName);
	await page.getByRole('button', { name: 'Create token' }).click();
	const secret = await page.getByLabel('New token secret').inputValue();
	check(/^berth_[0-9a-f]{64}$/.test(secret), 'new token secret shown once');
	await shot(page, 'settings');
	const row = page.getByRole('row').filter({ hasText: tokenName });
	await row.getByRole('button', { name: 'Revoke' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
	await row.waitFor({ state: 'detached' });
	check(true, 'token revoked');

	// 7. A phone-sized overview.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.getByRole('link', { name: 'Overview' }).click();
	await page.locator('section.project h2').first().waitFor();
	await shot(page, 'overview-phone');
	await page.setViewportSize({ width: 1280, height: 900 });

	// 8. Kill and restart berth: the page notices, counts down, reconnects by itself (no reload)
	// and then shows a change made after the restart without a reload.
	if (RESTART_DIR) {
		await page.getByRole('link', { name: 'Overview' }).click();
		await page.locator('.conn-live').waitFor({ timeout: 15_000 });
		await page.evaluate(() => {
			window.__berthNotReloaded = true;
		});
		writeFileSync(join(RESTART_DIR, 'kill-now'), '');
		await page.locator('.conn-reconnecting').waitFor({ timeout: 30_000 });
		check(true, 'berth killed: the indicator says reconnecting');
		await shot(page, 'reconnecting');
		const until = Date.now() + 60_000;
		while (!existsSync(join(RESTART_DIR, 'restarted'))) {
			if (Date.now() > until) throw new Error('berth was not restarted within 60 s');
			await page.waitForTimeout(200);
		}
		await page.locator('.conn-live').waitFor({ timeout: 45_000 });
		check(await page.evaluate(() => window.__berthNotReloaded === true), 'reconnected by itself, without a reload');
		// A deploy started after the restart (through the API) reaches the open overview live.
		const me = await (await page.request.get(`${BASE_URL}/api/auth/me`)).json();
		const answer = await page.request.post(
			`${BASE_URL}/api/projects/${project.name}/stages/${target.name}/deploys`,
			{ data: { tag: 'v1' }, headers: { 'X-CSRF-Token': me.csrf_token } }
		);
		check(answer.status() === 202, `deploy of v1 after the restart accepted (${answer.status()})`);
		await page
			.getByRole('article', { name: `${project.name} ${target.name}` })
			.locator('code.tag', { hasText: /^v1$/ })
			.waitFor({ timeout: 120_000 });
		check(await page.evaluate(() => window.__berthNotReloaded === true), 'the overview shows v1 without a reload');
		await shot(page, 'overview-after-restart');
	}

	// 9. Log out: the session is gone.
	await page.getByRole('button', { name: 'Log out' }).click();
	await page.waitForURL(/\/login/);
	const me = await page.request.get(`${BASE_URL}/api/auth/me`);
	check(me.status() === 401, 'logged out (GET /api/auth/me is 401)');

	const unexpected = consoleErrors.filter((e) => !/401|Unauthorized|wrong username/i.test(e));
	if (unexpected.length) log(`browser console errors:\n  ${unexpected.join('\n  ')}`);
	log('passed');
} catch (err) {
	failed = true;
	console.error(`[e2e] FAILED: ${err instanceof Error ? err.stack : err}`);
	try {
		const page = context.pages()[0];
		if (page) await shot(page, 'failure');
	} catch {
		/* ignore */
	}
} finally {
	await context.close();
	rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
