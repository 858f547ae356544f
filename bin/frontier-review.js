#!/usr/bin/env node
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: tsx's hook must load first */
'use strict';
// The CLI is TypeScript run through tsx (a dependency), so there is no build step.
require('tsx/cjs');
require('../cli/index.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
