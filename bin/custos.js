#!/usr/bin/env node
// The `custos` command: runs the compiled CLI (npm run build first).
import '../dist/cli/main.js';
