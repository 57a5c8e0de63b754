export * from './postgres';
export * from './secrets';
export * from './stack';
