export * from './registry';
export * from './ability';
export * from './system-roles';
