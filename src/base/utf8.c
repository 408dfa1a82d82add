/* UTF-8 validation shared by the JSON writers and the table renderer. */
#include "fathom/base.h"

size_t fth_utf8_len(const unsigned char *s, size_t len, unsigned *cp)
{
    unsigned c = s[0], dummy;

    if (!cp)
        cp = &dummy;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf && len >= 2 && (s[1] & 0xc0) == 0x80) {
        *cp = (c & 0x1f) << 6 | (s[1] & 0x3f);
        return 2;
    }
    if (c >= 0xe0 && c <= 0xef && len >= 3 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
        !(c == 0xe0 && s[1] < 0xa0) && !(c == 0xed && s[1] > 0x9f)) {
        *cp = (c & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4 && len >= 4 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
        (s[3] & 0xc0) == 0x80 && !(c == 0xf0 && s[1] < 0x90) && !(c == 0xf4 && s[1] > 0x8f)) {
        *cp = (c & 0x07) << 18 | (unsigned)(s[1] & 0x3f) << 12 | (unsigned)(s[2] & 0x3f) << 6 |
              (s[3] & 0x3f);
        return 4;
    }
    return 0;
}
