/**
 * The health report webview: renders what the host sends and keeps it in
 * the page state (read by the host's serializer after a window reload).
 */
import baseCss from '../common/base.css';
import { adoptStyles, clear } from '../common/dom';
import healthCss from './health.css';
import { onShow, post, saveState } from './host';
import { renderReport } from './view';

adoptStyles(baseCss, healthCss);
const root = document.getElementById('root')!;

onShow((message) => {
  saveState(message.state);
  const scroll = root.scrollTop;
  clear(root);
  renderReport(root, message);
  // A re-render (scope toggle, new run) keeps the reader's place.
  root.scrollTop = scroll;
});
post({ type: 'ready' });
