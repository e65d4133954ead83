#include "registry/image_config.h"

#include <gtest/gtest.h>

#include "registry/registry_error.h"

namespace berth::registry {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const system_clock::time_point kBase = sys_days{year{2026} / 12 / 3} + 18h + 49min + 1s;

TEST(ImageConfig, Rfc3339Forms) {
  EXPECT_EQ(parseRfc3339("2026-12-03T18:49:01Z"), kBase);
  EXPECT_EQ(parseRfc3339("2026-12-03t18:49:01z"), kBase);
  EXPECT_EQ(parseRfc3339("2026-12-03 18:49:01Z"), kBase);
  EXPECT_EQ(parseRfc3339("2026-12-03T20:49:01+02:00"), kBase);
  EXPECT_EQ(parseRfc3339("2026-12-03T17:19:01-01:30"), kBase);
  EXPECT_EQ(parseRfc3339("2026-12-03T18:49:01.123456789Z"), kBase + 123456us);
  EXPECT_EQ(parseRfc3339("2026-12-03T18:49:01.5Z"), kBase + 500ms);
}

TEST(ImageConfig, Rfc3339RefusesMalformedTimes) {
  for (const char* bad : {"", "2026-12-03", "2026-12-03T18:49:01", "2026-13-03T18:49:01Z",
                          "2026-02-30T18:49:01Z", "2026-12-03T24:00:00Z", "2026-12-03T18:49:01.Z",
                          "2026-12-03T18:49:01+0200", "2026-12-03T18:49:01Zjunk", "yesterday"})
    EXPECT_EQ(parseRfc3339(bad), std::nullopt) << bad;
}

TEST(ImageConfig, CreatedFromARealConfig) {
  // Trimmed from the sandbox's berth-test/app:v1 (docker import).
  constexpr std::string_view kConfig =
      R"({"architecture":"amd64","config":{"Cmd":["/bin/httpd"]},"created":"2026-12-03T18:49:01.123456789Z","docker_version":"20.10.24+dfsg1","history":[{"created":"2026-12-03T18:49:01.123456789Z","comment":"Imported from -"}],"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:942df2550c4820d43c4eee69b92cf99b5e39fb6fc49c7df654b4cc9bb86715c8"]}})";
  EXPECT_EQ(parseImageCreated(kConfig, "ctx"), kBase + 123456us);
  EXPECT_EQ(parseImageCreated(R"({"architecture":"amd64"})", "ctx"), std::nullopt);
  EXPECT_EQ(parseImageCreated(R"({"created":null})", "ctx"), std::nullopt);
}

TEST(ImageConfig, MalformedConfigsNameTheField) {
  auto message = [](std::string_view body) {
    try {
      (void)parseImageCreated(body, "registry r, repository a: config blob sha256:x");
    } catch (const RegistryError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("[]"),
            "registry r, repository a: config blob sha256:x: image config is not a "
            "JSON object");
  EXPECT_EQ(message(R"({"created":12})"),
            "registry r, repository a: config blob sha256:x: field 'created' must be a string");
  EXPECT_EQ(message(R"({"created":"last tuesday"})"),
            "registry r, repository a: config blob sha256:x: field 'created' is not an RFC 3339 "
            "time ('last tuesday')");
}

}  // namespace
}  // namespace berth::registry
