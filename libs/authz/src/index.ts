export * from './registry';
export * from './ability';
export * from './system-roles';
export * from './rules';
import './subjects';
