export { backoff } from './backoff';
export { JOBS_SCHEMA, queueName, startJobs, type JobContext, type JobDefinition, type Jobs, type SendOptions, type StartJobsOptions } from './jobs';
export { migrateJobs, type JobsRoles } from './migrate';
