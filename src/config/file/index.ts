/**
 * Configuration files (docs/configuration.md): YAML or JSON holding the
 * document and the runtime's settings, read into plain values with every
 * problem at its line and column.
 * @module
 */
export { parseConfigFile, DOCUMENT_KEYS, type ConfigFile, type ParseOptions } from './parse.js';
export { readConfigFile, checkModules, type ReadOptions } from './read.js';
export { locateIssues, formatConfigFileError } from './report.js';
export { CONFIG_FILE_LIMITS, type ConfigFileLimits } from './limits.js';
export { LOG_LEVELS, type ConfigFileSettings, type LogLevel } from './settings.js';
export type { Environment } from './substitute.js';
