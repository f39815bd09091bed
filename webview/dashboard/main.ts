// Browser entry of the GPU dashboard (dist/webview/dashboard.js). Components are imported one by one so the bundle
// carries only what the page uses.
import '../shared/l10nSetup';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { bootstrap } from '../shared/bootstrap';
import { DashboardApp } from './dashboardApp';

bootstrap((root, createChart, post) => new DashboardApp(document, root, { post, createChart }));
