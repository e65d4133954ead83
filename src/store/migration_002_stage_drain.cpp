// Schema version 2: a stage's blue-green drain time (berth.yaml `drain:`).
// Existing stages get the default the engine used before the key existed (2 s).
// Never edit a released migration: add the next one (a database records which it has applied).
#include "store/migrations.h"

namespace berth::migrations {

extern const char* const kStageDrain = R"sql(
ALTER TABLE stages ADD COLUMN drain_ms INTEGER NOT NULL DEFAULT 2000 CHECK (drain_ms >= 0);
)sql";

}  // namespace berth::migrations
