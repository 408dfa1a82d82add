/*
 * Every limit Fathom applies to untrusted input, in one place. Each one exists because an
 * input could otherwise make memory or time grow without bound.
 */
#ifndef FATHOM_LIMITS_H
#define FATHOM_LIMITS_H

/* Largest manifest file (or stdin) read into memory. */
#define FTH_LIMIT_FILE_SIZE ((size_t)256 * 1024 * 1024)

/* Deepest nesting of mappings and sequences in one YAML/JSON document. */
#define FTH_LIMIT_DEPTH 256

/* Nodes one document may hold, counting each alias as the size of what it points at. */
#define FTH_LIMIT_NODES ((size_t)4 * 1024 * 1024)

/* Nodes that alias expansion may add to one document (alias "billion laughs" bombs). */
#define FTH_LIMIT_ALIAS_NODES ((size_t)1024 * 1024)

/* Documents in one YAML stream. */
#define FTH_LIMIT_DOCUMENTS 1000000

/* Broken documents in one stream reported one by one; the rest of the stream is skipped. */
#define FTH_LIMIT_BROKEN_DOCUMENTS 1000

/* Length of one scalar (a key or value). */
#define FTH_LIMIT_SCALAR ((size_t)64 * 1024 * 1024)

/* Files a directory walk visits, and how deep it descends. */
#define FTH_LIMIT_WALK_FILES 1000000
#define FTH_LIMIT_WALK_DEPTH 64

/* Items in a `kind: List` that are analysed. */
#define FTH_LIMIT_LIST_ITEMS 100000

/* Length of one version string; anything longer is not a valid version. */
#define FTH_LIMIT_VERSION_LEN 256

/* Length of one version range or constraint expression. */
#define FTH_LIMIT_RANGE_LEN 4096

/* Largest advisory file read out of an archive (OSV records are a few KiB). */
#define FTH_LIMIT_ADVISORY_SIZE ((size_t)16 * 1024 * 1024)

#endif
