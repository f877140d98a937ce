// Progressive enhancement only: GOV.UK Frontend's components, and the live alert feed.
import { initAll } from '/dashboard/govuk/govuk/govuk-frontend.min.js';

initAll();

const feed = document.querySelector('[data-alert-feed]');
if (feed && 'EventSource' in window) {
  const status = feed.querySelector('[data-feed-status]');
  const list = feed.querySelector('[data-feed-list]');
  const source = new EventSource(feed.dataset.streamUrl);
  source.addEventListener('open', () => {
    status.textContent = 'Connected: new and changed alerts appear below as they happen.';
  });
  source.addEventListener('error', () => {
    status.textContent = 'The live feed is reconnecting. Reload the page to see the latest alerts.';
  });
  source.addEventListener('alert', (event) => {
    const alert = JSON.parse(event.data);
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.className = 'govuk-link';
    link.href = `/dashboard/alerts/${encodeURIComponent(alert.id)}?purpose=${encodeURIComponent(alert.purpose)}`;
    link.textContent = `${alert.code} (${alert.priority})`;
    item.append(link, ` is ${alert.status}, raised ${alert.raisedAt.slice(0, 16).replace('T', ' ')}`);
    list.prepend(item);
    while (list.children.length > 10) list.lastElementChild.remove();
  });
}
