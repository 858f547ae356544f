// The benchmark worker's bundle: the product's workflows, unchanged, and the baseline beside them.
export * from '../workflows';
export { benchBaseline } from './baseline-workflow';
