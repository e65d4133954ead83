// The dashboard's built files (web/build), compiled into the binary by embed_assets.py so that
// one berth binary serves everything. Sorted by path.
#pragma once

#include <span>
#include <string_view>

namespace berth::web {

struct EmbeddedAsset {
  std::string_view path;       // "/index.html", "/_app/immutable/entry/start.1a2b.js"
  std::string_view mime_type;  // Content-Type
  std::string_view body;
  std::string_view gzip;  // the body gzip-compressed, or empty when that is not smaller
};

std::span<const EmbeddedAsset> embeddedAssets();

}  // namespace berth::web
