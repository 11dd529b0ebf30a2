export * from './types';
export * from './schemas';
export * from './signature';
export * from './phone';
export * from './instant';
