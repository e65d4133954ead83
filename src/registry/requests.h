// The registry API requests, as data (commands as data, like Kamal's): pure functions return
// exactly what will be sent, so unit tests assert method, URL and headers without a network.
// RegistryClient adds authentication and sends them.
#pragma once

#include <string>
#include <string_view>

#include "net/http.h"
#include "registry/repository_ref.h"

namespace berth::registry {

// Plain http is allowed only to a loopback host (traffic never leaves the machine) or a
// registry the operator marked `insecure: true`; everything else is https.
bool plainHttpAllowed(std::string_view host, bool insecure);

// Where a registry's API lives: "https://registry-1.docker.io" for docker.io,
// "https://ghcr.io", "http://127.0.0.1:5000" (loopback), "http://reg.lan:5000" (insecure).
std::string apiBaseUrl(std::string_view registry, bool insecure);

// GET <base>/v2/<repository>/tags/list?n=<page_size>. Asking for big pages keeps a listing to
// one or two requests; 1000 is the largest page ECR and distribution 3.1 accept (both answer
// 400 above it), and registries that cap lower still send a Link to the rest.
net::HttpRequest tagListRequest(std::string_view base_url, std::string_view repository,
                                int page_size = 1000);

// GET of a next-page URL taken from a Link header (already resolved to an absolute URL).
net::HttpRequest tagListPageRequest(std::string url);

// HEAD (digest only; does not count against Docker Hub's pull limit) or GET of
// <base>/v2/<repository>/manifests/<reference>, with the Accept header naming the OCI index, OCI
// manifest, Docker manifest list and Docker v2 manifest types.
net::HttpRequest manifestRequest(std::string_view method, std::string_view base_url,
                                 std::string_view repository, std::string_view reference);

// GET <base>/v2/<repository>/blobs/<digest> (an image config). Registries often answer with a
// redirect to object storage, which RegistryClient follows.
net::HttpRequest blobRequest(std::string_view base_url, std::string_view repository,
                             std::string_view digest);

// Manifests may be at most 4 MiB (distribution's limit); configs are a few KiB, but history of
// big images can make them larger.
inline constexpr size_t kMaxManifestBytes = 4 * 1024 * 1024;
inline constexpr size_t kMaxConfigBytes = 8 * 1024 * 1024;

}  // namespace berth::registry
