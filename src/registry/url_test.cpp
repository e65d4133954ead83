#include "registry/url.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

TEST(Url, ParsesAbsoluteHttpUrls) {
  auto u = parseHttpUrl("HTTPS://GHCR.io/v2/acme/web/tags/list?n=100#frag");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->authority, "ghcr.io");
  EXPECT_EQ(u->path, "/v2/acme/web/tags/list");
  EXPECT_EQ(u->query, "n=100");
  EXPECT_EQ(u->str(), "https://ghcr.io/v2/acme/web/tags/list?n=100");
  EXPECT_EQ(parseHttpUrl("http://[::1]:5000")->str(), "http://[::1]:5000/");
  EXPECT_EQ(parseHttpUrl("http://127.0.0.1:5000?x=1")->str(), "http://127.0.0.1:5000/?x=1");
}

TEST(Url, RefusesOtherSchemesRelativeReferencesAndUserinfo) {
  EXPECT_FALSE(parseHttpUrl("ftp://host/x"));
  EXPECT_FALSE(parseHttpUrl("/v2/x"));
  EXPECT_FALSE(parseHttpUrl("https://user:secret@host/x"));
  EXPECT_FALSE(parseHttpUrl("https:///x"));
}

TEST(Url, ResolvesTheFormsRegistriesSend) {
  const std::string base = "https://reg.io/v2/acme/web/tags/list?n=1000";
  EXPECT_EQ(resolveUrl(base, "/v2/acme/web/tags/list?last=b&n=1000"),
            "https://reg.io/v2/acme/web/tags/list?last=b&n=1000");
  EXPECT_EQ(resolveUrl(base, "https://other.io/v2/x?last=b"), "https://other.io/v2/x?last=b");
  EXPECT_EQ(resolveUrl(base, "//cdn.io/blob"), "https://cdn.io/blob");
  EXPECT_EQ(resolveUrl(base, "?last=b"), "https://reg.io/v2/acme/web/tags/list?last=b");
  EXPECT_EQ(resolveUrl(base, "list?last=b"), "https://reg.io/v2/acme/web/tags/list?last=b");
  EXPECT_EQ(resolveUrl("http://127.0.0.1:5000/v2/a/tags/list", "/v2/a/tags/list?last=x"),
            "http://127.0.0.1:5000/v2/a/tags/list?last=x");
  EXPECT_EQ(resolveUrl(base, "ftp://x/y"), std::nullopt);
  EXPECT_EQ(resolveUrl("not a url", "/x"), std::nullopt);
}

TEST(Url, PercentEncodesAllButUnreserved) {
  EXPECT_EQ(percentEncode("repository:acme/web:pull"), "repository%3Aacme%2Fweb%3Apull");
  EXPECT_EQ(percentEncode("a-b_c.d~e f"), "a-b_c.d~e%20f");
}

}  // namespace
}  // namespace berth::registry
