#!/usr/bin/env node
// The jsii-ring kernel as a jsii runtime program: name this file in JSII_RUNTIME.
// It serves the jsii protocol on stdin/stdout (see lib/transports/STDIO-PROTOCOL.md).
'use strict';
require('../dist/lib/cli/jsii-runtime.js').runStdioServer();
