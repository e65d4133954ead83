#include "registry/requests.h"

#include "core/registry_host.h"
#include "registry/manifest.h"

namespace berth::registry {

bool plainHttpAllowed(std::string_view host, bool insecure) {
  return insecure || isLoopbackRegistry(host);
}

std::string apiBaseUrl(std::string_view registry, bool insecure) {
  const std::string host = registryApiHost(registry);
  return (plainHttpAllowed(host, insecure) ? "http://" : "https://") + host;
}

net::HttpRequest tagListRequest(std::string_view base_url, std::string_view repository,
                                int page_size) {
  return tagListPageRequest(std::string(base_url) + "/v2/" + std::string(repository) +
                            "/tags/list?n=" + std::to_string(page_size));
}

net::HttpRequest tagListPageRequest(std::string url) {
  net::HttpRequest r;
  r.method = "GET";
  r.url = std::move(url);
  r.headers.add("Accept", "application/json");
  return r;
}

net::HttpRequest manifestRequest(std::string_view method, std::string_view base_url,
                                 std::string_view repository, std::string_view reference) {
  net::HttpRequest r;
  r.method = std::string(method);
  r.url = std::string(base_url) + "/v2/" + std::string(repository) + "/manifests/" +
          std::string(reference);
  r.headers.add("Accept", std::string(kManifestAccept));
  r.max_body_bytes = kMaxManifestBytes;
  return r;
}

net::HttpRequest blobRequest(std::string_view base_url, std::string_view repository,
                             std::string_view digest) {
  net::HttpRequest r;
  r.method = "GET";
  r.url =
      std::string(base_url) + "/v2/" + std::string(repository) + "/blobs/" + std::string(digest);
  r.max_body_bytes = kMaxConfigBytes;
  return r;
}

}  // namespace berth::registry
