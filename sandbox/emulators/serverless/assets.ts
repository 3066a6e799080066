// Assets and Asset Versions (private ones are only reachable through Runtime.getAssets() once built).
import { versionedRoutes } from './versioned-files';

export const ASSET_ROUTES = versionedRoutes('asset', 'Assets', 'assets');
