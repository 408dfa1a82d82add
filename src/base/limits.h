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

/* Largest advisory feed downloaded by `db update` (OSV's npm archive is a few hundred MiB). */
#define FTH_LIMIT_FEED_SIZE ((uint64_t)4 * 1024 * 1024 * 1024)

/* Charts (Helm's own limits: 100 MiB decompressed chart, 5 MiB per file). */
#define FTH_LIMIT_CHART_ARCHIVE_SIZE ((size_t)100 * 1024 * 1024)
#define FTH_LIMIT_CHART_SIZE ((size_t)100 * 1024 * 1024)
#define FTH_LIMIT_CHART_FILE_SIZE ((size_t)5 * 1024 * 1024)
#define FTH_LIMIT_CHART_FILES 10000
/* Subcharts nested in subcharts (charts/<x>.tgz inside charts/<y>.tgz ...). */
#define FTH_LIMIT_CHART_DEPTH 16

/* A provenance file (a few KiB in practice) and an OpenPGP keyring read into memory. */
#define FTH_LIMIT_PROV_SIZE ((size_t)1024 * 1024)
#define FTH_LIMIT_KEYRING_SIZE ((size_t)64 * 1024 * 1024)

/* HTTP: redirects followed per request, and how long a transfer may stall (no bytes at all). */
#define FTH_LIMIT_HTTP_REDIRECTS 10
#define FTH_LIMIT_HTTP_STALL_SECONDS 60

/* Bytes of an error response (a 5xx that is retried) read and thrown away. */
#define FTH_LIMIT_HTTP_DISCARD ((uint64_t)1024 * 1024)

/* Registry: extra attempts on 5xx and connection errors, largest manifest or index, largest
 * token response, longest repository name, largest docker config.json. */
#define FTH_LIMIT_REGISTRY_RETRIES 3
#define FTH_LIMIT_MANIFEST_SIZE ((size_t)4 * 1024 * 1024)
#define FTH_LIMIT_REGISTRY_TOKEN_SIZE ((size_t)1024 * 1024)
#define FTH_LIMIT_REGISTRY_NAME_LEN 255
#define FTH_LIMIT_DOCKER_CONFIG_SIZE ((size_t)4 * 1024 * 1024)

/* Largest file handed whole to a package cataloger (a package database, a jar, a binary). */
#define FTH_LIMIT_CATALOG_FILE ((size_t)256 * 1024 * 1024)

/* Container images (manifests and indexes: FTH_LIMIT_MANIFEST_SIZE above): image configs
 * (history can be long), nesting of indexes, layers per image and interesting members of an
 * outer image archive. */
#define FTH_LIMIT_CONFIG_SIZE ((size_t)16 * 1024 * 1024)
#define FTH_LIMIT_INDEX_DEPTH 4
#define FTH_LIMIT_IMAGE_LAYERS 1000
#define FTH_LIMIT_ARCHIVE_MEMBERS 100000

/* One layer: entries, length of one path, uncompressed tar bytes, and the compression ratio
 * (uncompressed / stored) a layer may reach once past FTH_LIMIT_LAYER_RATIO_FLOOR bytes: a
 * gzip bomb expands ~1000:1, real layers stay far below 100:1. */
#define FTH_LIMIT_LAYER_ENTRIES 4000000
#define FTH_LIMIT_PATH_LEN 4096
#define FTH_LIMIT_LAYER_SIZE ((uint64_t)64 * 1024 * 1024 * 1024)
#define FTH_LIMIT_LAYER_RATIO 100
#define FTH_LIMIT_LAYER_RATIO_FLOOR ((uint64_t)64 * 1024 * 1024)

/* Distro package databases: packages in one dpkg status file, files in one md5sums file,
 * licences read from one copyright file; records in one apk installed file and files per
 * record; rpm packages per database, index entries and data bytes of one rpm header, files
 * per rpm package, and Berkeley DB pages followed for one overflow chain (a loop in a
 * corrupt chain ends there). */
#define FTH_LIMIT_DPKG_PACKAGES 200000
#define FTH_LIMIT_DPKG_FILES 1000000
#define FTH_LIMIT_DPKG_LICENSES 256
#define FTH_LIMIT_APK_PACKAGES 200000
#define FTH_LIMIT_APK_FILES 1000000
#define FTH_LIMIT_RPM_PACKAGES 200000
#define FTH_LIMIT_RPM_HEADER_ENTRIES 65536
#define FTH_LIMIT_RPM_HEADER_DATA ((size_t)64 * 1024 * 1024)
#define FTH_LIMIT_RPM_FILES 1000000
#define FTH_LIMIT_BDB_CHAIN_PAGES 65536

/* Go templates (tmpl): nested {{template}}/include/tpl calls (Helm stops include at 1000 nested
 * calls of one name; the engine's own depth stops runaway recursion of any kind), nesting of
 * control structures and parentheses in one parse, bytes one execution may write, range
 * iterations per execution, and Go fmt width/precision. */
#define FTH_LIMIT_TMPL_DEPTH 3000
#define FTH_LIMIT_TMPL_INCLUDE 1000
#define FTH_LIMIT_TMPL_PARSE_DEPTH 1000
#define FTH_LIMIT_TMPL_OUTPUT ((size_t)256 * 1024 * 1024)
#define FTH_LIMIT_TMPL_RANGE ((size_t)100 * 1000 * 1000)
#define FTH_LIMIT_TMPL_FMT_WIDTH 1000000
/* Helm's strvals: nested key names (MaxNestedNameLevel), list index (MaxIndex), one value. */
#define FTH_LIMIT_STRVALS_NESTING 30
#define FTH_LIMIT_STRVALS_INDEX 65536
#define FTH_LIMIT_STRVALS_SIZE ((size_t)16 * 1024 * 1024)
/* Manifests one chart render may produce (documents after splitting). */
#define FTH_LIMIT_HELM_MANIFESTS 100000
/* values.schema.json: nested schemas/$ref hops followed for one value, error lines kept. */
#define FTH_LIMIT_SCHEMA_DEPTH 256
#define FTH_LIMIT_SCHEMA_ERRORS 1000
/* Template sets one fth_helm_cache keeps (one per set of enabled subcharts). */
#define FTH_LIMIT_HELM_CACHED_SETS 16
/* Sprig functions: items one call may build (until, untilStep, seq, regexFindAll), compiled
 * size of one regular expression (NFA instructions) and counted repetition ({n,m}, RE2's 1000),
 * and digits of Sprig's decimal arithmetic (addf, mulf...). */
#define FTH_LIMIT_TMPL_SEQ ((size_t)10 * 1000 * 1000)
#define FTH_LIMIT_REGEX_INSTS 100000
#define FTH_LIMIT_REGEX_REPEAT 1000
/* Nested groups in one regular expression. RE2/Go allow 1000; the parser recurses three
 * frames a level, and 1000 levels overflowed an 8 MiB stack under AddressSanitizer. */
#define FTH_LIMIT_REGEX_DEPTH 250
#define FTH_LIMIT_TMPL_DECIMAL_DIGITS 20000

/* Directory depth of a root filesystem directory walk. */
#define FTH_LIMIT_ROOTFS_DEPTH 256

/* Java archives (jar/war/ear...): archives nested in archives, the largest member extracted to
 * memory (a nested archive), the largest text member read (MANIFEST.MF, pom.properties,
 * pom.xml), bytes decompressed per outer archive across all nesting, members per archive. */
#define FTH_LIMIT_JAR_DEPTH 8
#define FTH_LIMIT_JAR_ENTRY_SIZE ((size_t)128 * 1024 * 1024)
#define FTH_LIMIT_JAR_TEXT_SIZE ((size_t)10 * 1024 * 1024)
#define FTH_LIMIT_JAR_EXPANDED ((uint64_t)512 * 1024 * 1024)
#define FTH_LIMIT_JAR_ENTRIES 500000

/* Executables scanned for Go build info or a cargo-auditable section: the smallest file worth
 * opening, and the largest inflated cargo-auditable JSON (real ones are a few KiB). */
#define FTH_LIMIT_BINARY_MIN_SIZE 512
#define FTH_LIMIT_RUST_AUDIT_SIZE ((size_t)16 * 1024 * 1024)

/* Secret scanning: the largest file scanned whole (larger ones are skipped unless asked, then
 * read in chunks of FTH_LIMIT_SECRET_CHUNK with FTH_LIMIT_SECRET_OVERLAP bytes carried over),
 * bytes probed for NUL to call a file binary, PCRE2 backtracking steps, nested backtracking
 * depth and heap (KiB) per regex match, findings kept per file, the largest custom rules file,
 * rules and allow rules it may define, and the longest regex in it. */
#define FTH_LIMIT_SECRET_FILE_SIZE ((size_t)32 * 1024 * 1024)
#define FTH_LIMIT_SECRET_CHUNK ((size_t)4 * 1024 * 1024)
#define FTH_LIMIT_SECRET_OVERLAP ((size_t)16 * 1024)
#define FTH_LIMIT_SECRET_BINARY_PROBE ((size_t)8 * 1024)
#define FTH_LIMIT_SECRET_MATCH_STEPS 1000000
#define FTH_LIMIT_SECRET_MATCH_DEPTH 10000
#define FTH_LIMIT_SECRET_MATCH_HEAP_KIB 20000
#define FTH_LIMIT_SECRET_FINDINGS 10000
#define FTH_LIMIT_SECRET_CONFIG_SIZE ((size_t)4 * 1024 * 1024)
#define FTH_LIMIT_SECRET_RULES 10000
#define FTH_LIMIT_SECRET_REGEX_LEN ((size_t)64 * 1024)

/* Licences: length of one declared licence string or SPDX expression, parentheses nested in
 * one, and the largest licence text (LICENSE, COPYING, copyright file) classified. */
#define FTH_LIMIT_LICENSE_LEN ((size_t)4096)
#define FTH_LIMIT_LICENSE_DEPTH 32
#define FTH_LIMIT_LICENSE_TEXT ((size_t)1024 * 1024)

/* Image scan: the largest ignore file and --binary-hashes file read, the entries either may
 * hold, and the findings one scan keeps (secrets and file hygiene past it are counted, not kept). */
#define FTH_LIMIT_IGNORE_FILE ((size_t)4 * 1024 * 1024)
#define FTH_LIMIT_IGNORE_ENTRIES 100000
#define FTH_LIMIT_SCAN_FINDINGS 1000000

#endif
