/**
 * The dashboard's entry point: reads the configuration the server injected, routes on the URL
 * hash (`#/instances`, `#/instances/<id>`, `#/tasks`, `#/tasks/<id>`, `#/definitions`), and
 * refreshes the current page every `refreshMs` while "Live" is on.
 */
import { createApi } from './api.js';
import { renderAuthBox } from './auth-box.js';
import { dialogOpen } from './confirm-dialog.js';
import { h, mount } from './dom.js';
import { failurePanel } from './panels.js';
import { instancesPage } from './pages/instances.js';
import { instancePage } from './pages/instance.js';
import { tasksPage } from './pages/tasks.js';
import { taskPage } from './pages/task.js';
import { definitionsPage } from './pages/definitions.js';

const LIVE_KEY = 'workflow-mastery.dashboard.live';

const config = JSON.parse(document.getElementById('wm-config').textContent);
const api = createApi(config.apiBase);
const main = document.getElementById('wm-main');
const live = document.getElementById('wm-live');

/** `#/instances/abc?state=FAILED` → `{ parts: ['instances', 'abc'], query }`. */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  return { parts: parts.length ? parts : ['instances'], query: new URLSearchParams(search) };
}

function pageFor(parts) {
  const [section, id] = parts;
  if (section === 'instances') return id ? instancePage : instancesPage;
  if (section === 'tasks') return id ? taskPage : tasksPage;
  if (section === 'definitions') return definitionsPage;
  return undefined;
}

let current;
let generation = 0;
let loading = false;

/** Show the page the hash names; `refresh` keeps the page and reloads its data. */
async function show(refresh = false) {
  const { parts, query } = parseHash();
  if (!refresh || !current) {
    generation += 1;
    const mine = generation;
    const page = pageFor(parts);
    for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === parts[0]);
    if (!page) {
      mount(main, h('section', { class: 'panel failure' }, h('h2', {}, 'No such page'), h('p', {}, h('a', { href: '#/instances' }, 'Go to the instances'))));
      current = undefined;
      return;
    }
    document.title = `${config.title} · ${parts[0]}`;
    current = page({ api, main, id: parts[1], query, alive: () => mine === generation, navigate: (hash) => (location.hash = hash) });
  }
  if (loading && refresh) return;
  loading = true;
  try {
    await current.load(refresh);
  } catch (error) {
    mount(main, failurePanel(error, 'show this page'));
  } finally {
    loading = false;
  }
}

live.checked = sessionStorage.getItem(LIVE_KEY) !== 'off';
live.addEventListener('change', () => sessionStorage.setItem(LIVE_KEY, live.checked ? 'on' : 'off'));
setInterval(() => {
  if (live.checked && !dialogOpen() && !document.hidden && current) void show(true);
}, config.refreshMs);

window.addEventListener('hashchange', () => void show(false));
renderAuthBox(document.getElementById('wm-auth'), () => void show(false));
void show(false);
