export * from './define.js';
export * from './types.js';
export * from './events.js';
export * from './wire.js';
export * from './settings-schema.js';
export * from './services.js';
export * from './daily-types.js';
export * from './daily-services.js';
