// Image manifests and indexes as the registry serves them (OCI image-spec and Docker's v2
// schema 2), reduced to what berth decides with: an index's per-platform children (so a
// multi-arch image is recognised by any of its digests) and an image manifest's config digest
// (for the creation time).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

namespace media_type {
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
}  // namespace media_type

// The Accept header for manifest requests: every type berth understands, so a registry serves
// a multi-arch tag as its index (whose digest is what `docker pull` records) instead of
// converting it, and never falls back to the deprecated schema 1.
inline constexpr std::string_view kManifestAccept =
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

struct Platform {
  std::string os{};
  std::string architecture{};
  std::string variant{};
  bool operator==(const Platform&) const = default;
};

// One entry of an index.
struct ManifestChild {
  std::string digest{};
  std::string media_type{};
  Platform platform{};       // empty fields when the index does not say
  bool attestation = false;  // a BuildKit attestation (provenance, SBOM), not a runnable image
  bool operator==(const ManifestChild&) const = default;
};

struct Manifest {
  std::string digest{};                   // of the bytes served
  std::string media_type{};               // one of media_type::*
  std::vector<ManifestChild> children{};  // an index: its entries, in order
  std::string config_digest{};            // an image manifest: its config blob

  bool isIndex() const {
    return media_type == media_type::kOciIndex || media_type == media_type::kDockerManifestList;
  }
  // Whether `digest` is one of this index's children.
  bool hasChild(std::string_view digest) const;
  // The child a single-platform question (such as the creation time) is answered from:
  // linux/amd64 if the index has it (the common server platform; the first such entry), else
  // the first child that is not an attestation, else nullptr. The choice is deterministic, so
  // `order: pushed` ranks a multi-arch tag the same on every poll.
  const ManifestChild* preferredChild() const;
  bool operator==(const Manifest&) const = default;
};

// Parses a manifest body. The media type is the response's Content-Type (parameters ignored)
// when it is one of the four known types, else the body's "mediaType", else inferred from the
// shape ("manifests" → OCI index, "config" → OCI manifest), as OCI allows omitting it.
// Throws RegistryError(bad_response) naming `context` and the offending field, e.g.
// "registry ghcr.io, repository acme/web: manifest v2: field 'manifests[1].digest' is not a
// valid digest"; schema 1 manifests are refused as unsupported.
Manifest parseManifest(std::string_view body, std::string_view content_type, std::string digest,
                       const std::string& context);

}  // namespace berth::registry
