export * from './orm';
export * from './tenant';
export * from './bootstrap';
export * from './url';
export * from './keyring';
export * from './unique';
