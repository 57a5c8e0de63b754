// Runs the TypeScript sources directly: SWC compiles each file on load with the
// legacy decorators and decorator metadata that type-graphql and MikroORM need.
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('node:path').join(__dirname, '../../tsconfig.base.json');
require('reflect-metadata');
require('@swc-node/register');
