/**
 * The configuration file's default name. Kept apart from config.ts (which loads ajv and the YAML
 * parser) so `contracts --help` can name the file without loading them.
 */
export const DEFAULT_CONFIG_FILE = 'contracts.config.yaml';
