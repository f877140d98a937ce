#!/usr/bin/env node
'use strict';
// Server mode's projection worker (apps/projector): DATABASE_URL, HUB_MASTER_KEY, optional KAFKA_BROKERS and PROJECTOR_PORT.
require('../apps/projector/dist/main.js').run();
