import { createRoot, render } from '@wordpress/element';
import domReady from '@wordpress/dom-ready';
import { App } from './App';
import './admin.css';

domReady(() => {
  const root = document.getElementById('cartback-admin-root');
  if (!root) return;
  // WordPress 6.2+ has React 18's createRoot; 6.1 (React 17) only render().
  if (typeof createRoot === 'function') {
    createRoot(root).render(<App />);
  } else {
    render(<App />, root);
  }
});
