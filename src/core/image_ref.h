// Image references as Docker reads them: [registry[:port]/]path[:tag][@digest].
#pragma once

#include <string>
#include <string_view>

#include "core/reference_grammar.h"
#include "core/registry_host.h"
#include "core/result.h"

namespace berth {

// A parsed, normalised reference. Invariant (for values made by parseImageRef, withTag and
// withDigest): every field is valid, and at least one of tag and digest is set.
struct ImageRef {
  std::string registry;    // lowercase host[:port]; Docker Hub is "docker.io"
  std::string repository;  // "library/nginx", "acme/web"
  std::string tag;         // empty only when the reference pins a digest without a tag
  std::string digest;      // "sha256:<64 hex>", or empty

  // Canonical full form: "docker.io/library/nginx:latest", "ghcr.io/acme/web:v2@sha256:...".
  std::string str() const;
  // Docker's short form, as `docker ps` shows it: "nginx:1.25", "acme/web:v2",
  // "ghcr.io/acme/web:v2".
  std::string familiar() const;
  // Registry and repository without tag or digest: "docker.io/library/nginx".
  std::string repositoryRef() const;
  // Where to send registry API requests: "registry-1.docker.io" for Docker Hub.
  std::string registryApiHost() const { return berth::registryApiHost(registry); }

  // A new tag names different content, so the digest is dropped. Throws std::invalid_argument
  // (with tagProblem's text) for an invalid tag: check input from outside with isValidTag first.
  ImageRef withTag(std::string_view new_tag) const;
  // Pins the digest and keeps the tag (for display). Throws std::invalid_argument if invalid.
  ImageRef withDigest(std::string_view new_digest) const;

  bool operator==(const ImageRef&) const = default;
};

// Parses and normalises a reference the way `docker pull` does:
//  - the first path component is a registry host only if it contains '.' or ':' or is
//    "localhost"; otherwise the registry is docker.io. (Docker also treats a first component with
//    uppercase letters as a host; berth does not, so "Foo/bar" is refused as not lowercase
//    instead of being sent to a registry named "Foo".)
//  - "index.docker.io" and "registry-1.docker.io" become "docker.io"; hosts are lowercased.
//  - on docker.io a one-component path gets "library/": "nginx" -> "docker.io/library/nginx".
//  - with neither tag nor digest the tag is "latest".
// Failure messages start with "image reference '<text>': " and say what is wrong, e.g.
// "image reference 'Foo/bar': repository must be lowercase".
Result<ImageRef> parseImageRef(std::string_view text);

}  // namespace berth
