// Browser entry of the sidebar GPU Monitor (dist/webview/monitor.js): only the button component is needed.
import '../shared/l10nSetup';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { bootstrap } from '../shared/bootstrap';
import { MonitorApp } from './monitorApp';

bootstrap((root, createChart, post) => new MonitorApp(document, root, { post, createChart }));
