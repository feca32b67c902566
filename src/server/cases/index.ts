/** Cases moved to their own capability (src/cases); this path stays so existing imports keep working. */
export * from '../../cases/index.js';
