// The image hash is computed by the core (the packaged app needs it without the builder).
export { BUILDER_VERSION, HASH_INPUTS, HASHED_DIRS, imageHash, MANIFEST_RELATIVE } from '../../src-main/core/vm/image-hash.js';
