// Shapes of berth's REST answers (docs/api.md §3).

export interface Identity {
	id: number;
	username: string;
	admin: boolean;
}

export interface User extends Identity {
	created_at: string;
	oidc: boolean;
	password: boolean;
}

export interface ImageRef {
	repository: string;
	tag: string;
	digest: string | null;
}

export type DeployState =
	| 'queued'
	| 'pulling'
	| 'starting'
	| 'checking'
	| 'switching'
	| 'draining'
	| 'succeeded'
	| 'failed'
	| 'rolled_back'
	| 'interrupted'
	| 'cancelled';

export interface Deploy {
	id: number;
	project: string;
	stage: string;
	image: ImageRef;
	trigger: 'poller' | 'webhook' | 'manual' | 'promote' | 'rollback';
	state: DeployState;
	reason: string;
	created_at: string;
	started_at: string | null;
	finished_at: string | null;
	previous_deploy_id: number | null;
}

export interface Instance {
	name: string;
	container_id: string;
	color: 'blue' | 'green' | '';
	state: string;
	health: 'healthy' | 'unhealthy' | '';
	deploy_id: number;
	updated_at: string;
}

export interface Current {
	repository: string;
	tag: string;
	digest: string | null;
	deploy_id: number;
	since: string | null;
}

export interface Stage {
	name: string;
	strategy: 'recreate' | 'blue-green';
	replicas: number;
	auto_deploy: boolean;
	promote_from: string | null;
	domains: string[];
	current: Current | null;
	instances: Instance[];
	last_deploy: Deploy | null;
	recent_deploys?: Deploy[];
}

export interface Project {
	name: string;
	image: string;
	port: number;
	stages: Stage[];
}

export interface LogLine {
	seq: number;
	ts: string;
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
}

export interface ApiToken {
	id: number;
	name: string;
	owner: string;
	created_at: string;
	last_used_at: string | null;
}

export interface AuthSettings {
	auth: {
		mode: 'local' | 'oidc';
		session_lifetime: string;
		protect_metrics: boolean;
		local_login: boolean;
		oidc: {
			discovery_url: string;
			client_id: string;
			client_secret_env: string;
			admin_group: string;
			admin_claim: string;
			scopes: string[];
		};
	};
	restart_required: boolean;
}

export const FINAL_STATES: readonly DeployState[] = [
	'succeeded',
	'failed',
	'rolled_back',
	'interrupted',
	'cancelled'
];

export function isFinal(state: DeployState): boolean {
	return FINAL_STATES.includes(state);
}
