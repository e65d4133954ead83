import type { Project, Stage } from './types';

/** The stage this one promotes from, when it has one. */
export function sourceStage(project: Project, stage: Stage): Stage | null {
	if (!stage.promote_from) return null;
	return project.stages.find((s) => s.name === stage.promote_from) ?? null;
}

/** Promote is offered when the source stage runs something this stage does not. */
export function promotable(project: Project, stage: Stage): boolean {
	const source = sourceStage(project, stage);
	const from = source?.current;
	if (!from || !from.digest) return false;
	const here = stage.current;
	return !here || here.digest !== from.digest;
}

export function stageHref(project: string, stage: string): string {
	return `/projects/${encodeURIComponent(project)}/stages/${encodeURIComponent(stage)}`;
}

export function stageApi(project: string, stage: string): string {
	return `/api/projects/${encodeURIComponent(project)}/stages/${encodeURIComponent(stage)}`;
}
