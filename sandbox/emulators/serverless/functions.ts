// Functions and Function Versions (a Version's content is a CommonJS file exporting `handler`).
import { versionedRoutes } from './versioned-files';

export const FUNCTION_ROUTES = versionedRoutes('function', 'Functions', 'functions');
