/**
 * The data the renderers take. The shapes are billing facts and live in the domain, so the repositories
 * that load them and the renderers that print them share one definition.
 */
export type * from '../domain/document-data.js';
