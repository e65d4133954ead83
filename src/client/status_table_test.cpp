// `berth status` as a person reads it.
#include "client/status_table.h"

#include <gtest/gtest.h>

namespace berth::client {
namespace {

// A delimiter of its own: the reason's "(HTTP 404)" would end a plain raw string.
const char* kProjects = R"json([{"name":"web","image":"ghcr.io/acme/web","port":8080,"stages":[
  {"name":"staging","current":{"repository":"ghcr.io/acme/web","tag":"v2",
    "digest":"sha256:aaaaaaaaaaaabbbbbbbbbbbbcccccccccccc","deploy_id":43,"since":"x"},
   "instances":[{"name":"web-staging-1","state":"healthy","health":"healthy"}],
   "last_deploy":{"id":44,"project":"web","stage":"staging","image":{"tag":"v3"},
     "state":"rolled_back","reason":"not healthy after 10.0 s (HTTP 404)",
     "created_at":"2026-01-01T12:00:00.000Z","finished_at":"2026-01-01T12:00:11.250Z"}},
  {"name":"production","current":null,"instances":[],"last_deploy":null}]}])json";

TEST(StatusTable, OneAlignedRowPerStageThenWhatWentWrong) {
  EXPECT_EQ(statusTable(Json::parse(kProjects)),
            "STAGE           TAG  DIGEST               INSTANCES  LAST DEPLOY\n"
            "web/staging     v2   sha256:aaaaaaaaaaaa  1 healthy  #44 v3 rolled_back 2026-01-01 "
            "12:00:11Z\n"
            "web/production  -    -                    none       -\n"
            "web/staging: deploy 44 rolled back: not healthy after 10.0 s (HTTP 404)\n");
}

TEST(StatusTable, InstancesAreCountedByStateHealthyFirst) {
  EXPECT_EQ(
      instanceSummary(Json::parse(
          R"([{"state":"unhealthy"},{"state":"healthy"},{"state":"healthy"},{"state":"exited"}])")),
      "2 healthy, 1 exited, 1 unhealthy");
  EXPECT_EQ(instanceSummary(Json::array()), "none");
}

TEST(StatusTable, NoProjects) {
  EXPECT_EQ(statusTable(Json::array()), "no projects\n");
}

}  // namespace
}  // namespace berth::client
