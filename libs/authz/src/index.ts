export * from './registry';
export * from './ability';
export * from './system-roles';
export * from './rules';
export * from './graph-fields';
import './subjects';
