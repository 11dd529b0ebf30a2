// The admin screens' bundles: @wordpress/scripts' own webpack config with two entries, so the
// build writes build/admin.js + admin.asset.php (Admin_Page, the settings) and build/dashboard.js
// + dashboard.asset.php (Dashboard_Page, the Dashboard with its charts).
const defaultConfig = require('@wordpress/scripts/config/webpack.config');

module.exports = {
  ...defaultConfig,
  entry: { admin: './src/admin/index.tsx', dashboard: './src/dashboard/index.tsx' },
};
