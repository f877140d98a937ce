#!/usr/bin/env node
'use strict';
require('../apps/hub/dist/main.js').run(process.argv);
