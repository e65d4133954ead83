#include "proxy/npm_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace berth::proxy::npm {
namespace {

using nlohmann::json;

TEST(NpmRequests, LoginSendsOnlyIdentityAndSecret) {
  const auto r = loginRequest("http://npm:81/", "admin@example.com", "s3cret");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "http://npm:81/api/tokens");
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  EXPECT_FALSE(r.headers.get("Authorization"));
  EXPECT_EQ(json::parse(r.body), (json{{"identity", "admin@example.com"}, {"secret", "s3cret"}}));
}

TEST(NpmRequests, AuthenticatedRequestsCarryTheBearerToken) {
  EXPECT_EQ(refreshRequest("http://npm:81", "T").url, "http://npm:81/api/tokens");
  EXPECT_EQ(refreshRequest("http://npm:81", "T").method, "GET");
  const auto list = listHostsRequest("http://npm:81", "T");
  EXPECT_EQ(list.url, "http://npm:81/api/nginx/proxy-hosts");
  EXPECT_EQ(list.headers.get("Authorization"), "Bearer T");
  EXPECT_EQ(getHostRequest("http://npm:81", "T", 7).url, "http://npm:81/api/nginx/proxy-hosts/7");
  EXPECT_EQ(setEnabledRequest("http://npm:81", "T", 7, true).url,
            "http://npm:81/api/nginx/proxy-hosts/7/enable");
  EXPECT_EQ(setEnabledRequest("http://npm:81", "T", 7, false).method, "POST");
}

// NPM rejects unknown fields, and every field berth sends overwrites the operator's: create
// sends the four required fields, update only the forward address.
TEST(NpmRequests, CreateAndUpdateSendOnlyWhatBerthOwns) {
  const Forward f{"http", "web-production-green", 8080};
  const auto create = createHostRequest("http://npm:81", "T", {"example.com"}, f);
  EXPECT_EQ(create.method, "POST");
  EXPECT_EQ(json::parse(create.body), (json{{"domain_names", {"example.com"}},
                                            {"forward_scheme", "http"},
                                            {"forward_host", "web-production-green"},
                                            {"forward_port", 8080}}));
  const auto update = updateForwardRequest("http://npm:81", "T", 3, f);
  EXPECT_EQ(update.method, "PUT");
  EXPECT_EQ(update.url, "http://npm:81/api/nginx/proxy-hosts/3");
  EXPECT_EQ(json::parse(update.body), (json{{"forward_scheme", "http"},
                                            {"forward_host", "web-production-green"},
                                            {"forward_port", 8080}}));
}

TEST(NpmResponses, ParsesTokenWithIsoOrUnixExpiry) {
  auto t = parseToken(R"({"token":"eyJ.x.y","expires":"2024-01-11T18:13:18.525Z"})", nullptr);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->token, "eyJ.x.y");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(t->expires), 1704996798);
  t = parseToken(R"({"token":"a","expires":1566540249})", nullptr);
  ASSERT_TRUE(t);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(t->expires), 1566540249);
  std::string why;
  EXPECT_FALSE(parseToken(R"({"expires":"2024-01-11T18:13:18.525Z"})", &why));
  EXPECT_EQ(why, "the answer has no \"token\"");
  EXPECT_FALSE(parseToken(R"({"token":"a","expires":"soon"})", &why));
}

TEST(NpmResponses, ParsesAProxyHostWithMeta) {
  const auto h = parseHost(R"({"id":3,"domain_names":["example.com"],"forward_scheme":"http",
      "forward_host":"127.0.0.1","forward_port":8080,"enabled":true,"advanced_config":"x",
      "meta":{"nginx_online":false,"nginx_err":"nginx: [emerg] bad"},"certificate_id":5})",
                           nullptr);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->id, 3);
  EXPECT_EQ(h->forward, (Forward{"http", "127.0.0.1", 8080}));
  EXPECT_EQ(h->nginx_online, false);
  EXPECT_EQ(h->nginx_err, "nginx: [emerg] bad");
  // Older NPM sends tinyint booleans and an empty meta before nginx was configured.
  const auto old = parseHost(R"({"id":4,"domain_names":["a.b"],"forward_host":"h",
      "forward_port":1,"enabled":0,"meta":{}})",
                             nullptr);
  ASSERT_TRUE(old);
  EXPECT_FALSE(old->enabled);
  EXPECT_EQ(old->nginx_online, std::nullopt);
  std::string why;
  EXPECT_FALSE(parseHostList(R"({"id":1})", &why));
  EXPECT_FALSE(parseHost(R"({"id":1})", &why));
}

TEST(NpmResponses, ErrorMessageFromNpmsErrorObject) {
  net::HttpResponse r;
  r.status = 400;
  r.body = R"({"error":{"code":400,"message":"Token has expired"}})";
  EXPECT_EQ(errorMessage(r), "Token has expired");
  r.body = "<html>Bad Gateway</html>\n";
  EXPECT_EQ(errorMessage(r), "<html>Bad Gateway</html>");
  r.body = "";
  EXPECT_EQ(errorMessage(r), "HTTP 400");
}

TEST(NpmResponses, WhichAnswersMayMeanTheTokenWasRefused) {
  EXPECT_TRUE(mayBeTokenProblem(400, "Token has expired", true));
  EXPECT_FALSE(mayBeTokenProblem(400, "data must NOT have additional properties", true));
  EXPECT_TRUE(mayBeTokenProblem(401, "", false));
  EXPECT_TRUE(mayBeTokenProblem(403, "Permission Denied", false));  // NPM < 2.13
  EXPECT_TRUE(mayBeTokenProblem(404, "Not Found", false));          // NPM >= 2.13
  EXPECT_TRUE(mayBeTokenProblem(500, "Internal Error", true));      // malformed token
  EXPECT_FALSE(mayBeTokenProblem(500, "Internal Error", false));    // a create may have happened
  EXPECT_FALSE(mayBeTokenProblem(502, "", true));
}

TEST(NpmResponses, FindsHostsByAnyDomainIgnoringCase) {
  std::vector<ProxyHost> hosts(3);
  hosts[0].id = 1;
  hosts[0].domain_names = {"other.com"};
  hosts[1].id = 2;
  hosts[1].domain_names = {"WWW.Example.com", "example.com"};
  hosts[2].id = 3;
  hosts[2].domain_names = {"api.example.com"};
  const auto found = hostsForDomains(hosts, {"www.example.com"});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, 2);
  EXPECT_EQ(hostsForDomains(hosts, {"example.com", "api.example.com"}).size(), 2u);
  EXPECT_TRUE(hostsForDomains(hosts, {"nope.com"}).empty());
}

}  // namespace
}  // namespace berth::proxy::npm
