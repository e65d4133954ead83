// A repository on a registry: where tags and manifests live ("ghcr.io" + "acme/web").
#pragma once

#include <string>

#include "core/image_ref.h"

namespace berth::registry {

struct RepositoryRef {
  std::string registry{};    // as in ImageRef: "docker.io", "ghcr.io", "127.0.0.1:5000"
  std::string repository{};  // "library/nginx", "acme/web"

  static RepositoryRef of(const ImageRef& image) { return {image.registry, image.repository}; }
  // "ghcr.io/acme/web"
  std::string str() const { return registry + "/" + repository; }
  // The start of every error message about this repository:
  // "registry ghcr.io, repository acme/web".
  std::string context() const { return "registry " + registry + ", repository " + repository; }
  bool operator==(const RepositoryRef&) const = default;
};

}  // namespace berth::registry
