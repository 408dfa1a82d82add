/* Unsafe libc calls: using one is a compile error in libfathom and the CLI. */
#ifndef FATHOM_BANNED_H
#define FATHOM_BANNED_H

#define FTH_BANNED(func) sorry_##func##_is_banned_in_fathom

#undef strcpy
#define strcpy(a, b) FTH_BANNED(strcpy)
#undef strcat
#define strcat(a, b) FTH_BANNED(strcat)
#undef sprintf
#define sprintf(...) FTH_BANNED(sprintf)
#undef strtok
#define strtok(a, b) FTH_BANNED(strtok)
#undef atoi
#define atoi(a) FTH_BANNED(atoi)
#undef gets
#define gets(a) FTH_BANNED(gets)

#endif
