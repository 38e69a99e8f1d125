// The dtab language server. Runs as `dtab-language-server --stdio` for any editor, or over IPC when
// VS Code starts it (`--node-ipc`).

import { transport } from './gate.js';
import { startServer } from './server.js';

const { reader, writer } = transport();
startServer(reader, writer);
