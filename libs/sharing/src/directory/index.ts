export * from './hub-directory-events';
export * from './area-directory';
export * from './configure-area';
export * from './area-directory.repository';
