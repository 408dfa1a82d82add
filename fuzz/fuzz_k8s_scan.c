/*
 * libFuzzer target for the manifest scan: the first byte picks the options (bit 0: the input
 * is named *.json; bits 1-2: Pod Security level none/baseline/restricted; bits 3-7: policy
 * version), the rest is the stream. Every object goes through kubesec's, the PSS and Fathom's
 * rules, then every report format renders the result.
 */
#include <stddef.h>
#include <stdint.h>

#include "fathom/fathom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum fth_report_format formats[] = {FTH_REPORT_TABLE, FTH_REPORT_JSON,
                                                     FTH_REPORT_KUBESEC, FTH_REPORT_SARIF};
    struct fth_k8s_opts opts = FTH_K8S_OPTS_INIT;
    struct fth_report_opts ropts = FTH_REPORT_OPTS_INIT;
    struct fth_k8s_scan *scan = NULL;
    struct fth_buf out = FTH_BUF_INIT;
    unsigned mode, level;
    size_t i;

    if (size < 1)
        return 0;
    mode = data[0];
    level = (mode >> 1) & 3u;
    opts.pss_level = level == 1 ? FTH_PSS_BASELINE : level >= 2 ? FTH_PSS_RESTRICTED : FTH_PSS_NONE;
    opts.pss_minor = (mode >> 3) % (fth_pss_latest_minor() + 1);
    opts.threads = 1;
    ropts.pss_level = opts.pss_level;
    ropts.pss_minor = opts.pss_minor;
    ropts.color = (mode >> 7) & 1u;
    if (fth_k8s_scan_new(&scan, &opts) < 0)
        return 0;
    if (fth_k8s_scan_buffer(scan, (mode & 1u) ? "fuzz.json" : "fuzz.yaml", (const char *)data + 1,
                            size - 1) == 0 &&
        fth_k8s_scan_finish(scan) == 0) {
        for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
            fth_buf_clear(&out);
            (void)fth_report_k8s(&out, formats[i], fth_k8s_scan_result(scan), &ropts);
        }
    }
    fth_buf_release(&out);
    fth_k8s_scan_free(scan);
    return 0;
}
