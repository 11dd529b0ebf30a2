// The admin screen's bundle: @wordpress/scripts' own webpack config with one entry named
// `admin`, so the build writes build/admin.js and build/admin.asset.php (Admin_Page reads both).
const defaultConfig = require('@wordpress/scripts/config/webpack.config');

module.exports = {
  ...defaultConfig,
  entry: { admin: './src/admin/index.tsx' },
};
