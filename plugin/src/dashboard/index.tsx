import { createRoot, render } from '@wordpress/element';
import domReady from '@wordpress/dom-ready';
import { Dashboard } from './Dashboard';
import './dashboard.css';

domReady(() => {
  const root = document.getElementById('cartback-dashboard-root');
  if (!root) return;
  const exports = { url: root.dataset.exportUrl ?? '', nonce: root.dataset.exportNonce ?? '' };
  // WordPress 6.2+ has React 18's createRoot; 6.1 (React 17) only render().
  if (typeof createRoot === 'function') {
    createRoot(root).render(<Dashboard exports={exports} />);
  } else {
    render(<Dashboard exports={exports} />, root);
  }
});
