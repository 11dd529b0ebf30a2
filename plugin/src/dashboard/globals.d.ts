// Stylesheets imported for wp-scripts to bundle into build/admin.css.
declare module '*.css';
