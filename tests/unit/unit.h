/* unit.h - a minimal unit-test harness: TEST(name) { CHECK(...); } in tests/unit/test_NAME.c.
 * The runner prints one line per failure and a last line "N passed, N failed". */
#ifndef ZKINIT_UNIT_H
#define ZKINIT_UNIT_H

#include <stdio.h>
#include <string.h>

void unit_register(const char *name, void (*fn)(void));
void unit_fail(const char *file, int line, const char *what);

#define TEST(name)                                                                                 \
    static void name(void);                                                                        \
    __attribute__((constructor)) static void register_##name(void)                                 \
    {                                                                                              \
        unit_register(#name, name);                                                                \
    }                                                                                              \
    static void name(void)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            unit_fail(__FILE__, __LINE__, #cond);                                                  \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                                   \
            char what_[512];                                                                       \
            snprintf(what_, sizeof what_, "%s == %s (\"%s\" vs \"%s\")", #a, #b,                   \
                     a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                      \
            unit_fail(__FILE__, __LINE__, what_);                                                  \
        }                                                                                          \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) {                                                                            \
            char what_[512];                                                                       \
            snprintf(what_, sizeof what_, "%s == %s (%lld vs %lld)", #a, #b, a_, b_);              \
            unit_fail(__FILE__, __LINE__, what_);                                                  \
        }                                                                                          \
    } while (0)

#endif
