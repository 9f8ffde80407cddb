/* test_logfmt.c - logfmt values escaped per argument, URL credentials masked. */
#include "unit.h"

#include "util/logfmt.h"
#include "util/redact.h"

TEST(logfmt_quoted_values_are_escaped)
{
    char b[256];
    logfmt_format(b, sizeof b, "a=\"%s\" n=%d", "x\"y\\z\nlevel=error msg=\"forged\"", 7);
    CHECK_STR(b, "a=\"x\\\"y\\\\z\\nlevel=error msg=\\\"forged\\\"\" n=7");
    logfmt_format(b, sizeof b, "v=\"%s\"", "tab\there\r\x01\x7f");
    CHECK_STR(b, "v=\"tab\\there\\r\\x01\\x7f\"");
    CHECK(!strchr(b, '\n'));
}

TEST(logfmt_bare_values_are_quoted_when_needed)
{
    char b[256];
    logfmt_format(b, sizeof b, "option=%s other=%s", "--x level=error", "plain");
    CHECK_STR(b, "option=\"--x level=error\" other=plain");
    logfmt_format(b, sizeof b, "k=%s", "a\nb");
    CHECK_STR(b, "k=\"a\\nb\"");
    logfmt_format(b, sizeof b, "k=%s end", "");
    CHECK_STR(b, "k= end");
    /* a fragment the caller composed (not right after a key): only control bytes escaped */
    logfmt_format(b, sizeof b, "n=%d%s last=1", 3, " etcd=unreachable\n");
    CHECK_STR(b, "n=3 etcd=unreachable\\n last=1");
}

TEST(logfmt_numbers_precision_and_percent)
{
    char b[256];
    logfmt_format(b, sizeof b, "a=%ld b=%zu c=%04o d=\"%.3s\" e=%%s f=%c g=%lld h=%u", -5L,
                  (size_t)42, 0644u, "abcdef", 'q', -1LL, 3u);
    CHECK_STR(b, "a=-5 b=42 c=0644 d=\"abc\" e=%s f=q g=-1 h=3");
    logfmt_format(b, sizeof b, "w=%*d p=\"%.*s\" x=%x", 4, 7, 2, "xyz", 255u);
    CHECK_STR(b, "w=\"   7\" p=\"xy\" x=ff"); /* a padded number is quoted too */
    logfmt_format(b, sizeof b, "q=%c", '\n');
    CHECK_STR(b, "q=\"\\n\"");
}

TEST(logfmt_truncation_never_splits_an_escape)
{
    char b[8];
    size_t n = logfmt_format(b, sizeof b, "k=\"%s\"", "ab\n\n\n");
    CHECK(n < sizeof b);
    CHECK_STR(b, "k=\"ab\\n");
    CHECK_INT(strlen(b), n);
}

TEST(logfmt_masks_url_credentials)
{
    char b[256];
    logfmt_format(b, sizeof b, "endpoint=%s e=\"%s\"", "http://user:pass@127.0.0.1:2379",
                  "https://a:b@h1:1,http://h2:2/x@y");
    CHECK_STR(b, "endpoint=http://***@127.0.0.1:2379 e=\"https://***@h1:1,http://h2:2/x@y\"");
    logfmt_format(b, sizeof b, "e=\"%.12s\"", "http://u:secret@h");
    CHECK(!strstr(b, "secret") && !strstr(b, "sec"));
}

TEST(redact_urls_masks_userinfo_only)
{
    char b[128];
    const char *cases[][2] = {
        {"zk://super:pw@zk1:2181,zk2:2181/mesos", "zk://***@zk1:2181,zk2:2181/mesos"},
        {"no url here user@host", "no url here user@host"},
        {"http://host:80/path?x=a@b", "http://host:80/path?x=a@b"},
        {"error: http://a:p@w@h:1: refused", "error: http://***@h:1: refused"},
        {"http://@h", "http://***@h"},
        {"://", "://"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        redact_urls(cases[i][0], strlen(cases[i][0]), b, sizeof b);
        CHECK_STR(b, cases[i][1]);
    }
    char small[10];
    CHECK_INT(redact_urls("http://u:p@h", 12, small, sizeof small), 9);
    CHECK_STR(small, "http://**");
}
