#include "core/image_ref.h"

#include <stdexcept>

namespace berth {
namespace {

constexpr std::string_view kDockerHub = "docker.io";
constexpr std::string_view kOfficialPrefix = "library/";
// distribution/reference's NameTotalLengthMax.
constexpr size_t kMaxNameLength = 255;

Failure refuse(std::string_view text, std::string_view problem) {
  return Failure{"image reference '" + std::string(text) + "': " + std::string(problem)};
}

std::string toLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// 64 lowercase hex digits alone is how Docker spells an image ID, and it refuses it as a name.
bool looksLikeImageId(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool isRegistryComponent(std::string_view first) {
  return first.find_first_of(".:") != std::string_view::npos || first == "localhost";
}

}  // namespace

std::string ImageRef::repositoryRef() const {
  return registry + "/" + repository;
}

std::string ImageRef::str() const {
  std::string out = repositoryRef();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

std::string ImageRef::familiar() const {
  std::string out;
  if (registry != kDockerHub) {
    out = repositoryRef();
  } else if (repository.starts_with(kOfficialPrefix) &&
             repository.find('/', kOfficialPrefix.size()) == std::string::npos) {
    out = repository.substr(kOfficialPrefix.size());
  } else {
    out = repository;
  }
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

ImageRef ImageRef::withTag(std::string_view new_tag) const {
  if (auto problem = tagProblem(new_tag))
    throw std::invalid_argument("image reference '" + repositoryRef() + "': " + *problem);
  ImageRef out = *this;
  out.tag = std::string(new_tag);
  out.digest.clear();
  return out;
}

ImageRef ImageRef::withDigest(std::string_view new_digest) const {
  if (auto problem = digestProblem(new_digest))
    throw std::invalid_argument("image reference '" + repositoryRef() + "': " + *problem);
  ImageRef out = *this;
  out.digest = std::string(new_digest);
  return out;
}

Result<ImageRef> parseImageRef(std::string_view text) {
  if (text.empty()) return Failure{"image reference is empty"};
  if (text.find("://") != std::string_view::npos)
    return refuse(text, "must not include a URL scheme; write host/path, e.g. ghcr.io/acme/web");
  if (looksLikeImageId(text))
    return refuse(text, "is an image ID, not a name; pin a digest as name@sha256:<hex>");

  ImageRef ref;
  std::string_view name = text;
  if (const size_t at = name.find('@'); at != std::string_view::npos) {
    const std::string_view digest = name.substr(at + 1);
    if (auto problem = digestProblem(digest)) return refuse(text, *problem);
    ref.digest = std::string(digest);
    name = name.substr(0, at);
  }
  // A ':' after the last '/' starts the tag; one before it belongs to a registry port.
  if (const size_t colon = name.rfind(':');
      colon != std::string_view::npos &&
      (name.rfind('/') == std::string_view::npos || colon > name.rfind('/'))) {
    const std::string_view tag = name.substr(colon + 1);
    if (auto problem = tagProblem(tag)) return refuse(text, *problem);
    ref.tag = std::string(tag);
    name = name.substr(0, colon);
  }
  if (name.empty()) return refuse(text, "repository is empty");

  std::string_view path = name;
  ref.registry = kDockerHub;
  if (const size_t slash = name.find('/');
      slash != std::string_view::npos && isRegistryComponent(name.substr(0, slash))) {
    const std::string_view host = name.substr(0, slash);
    if (auto problem = registryHostProblem(host)) return refuse(text, *problem);
    ref.registry = toLower(host);
    path = name.substr(slash + 1);
  }
  if (ref.registry == "index.docker.io" || ref.registry == "registry-1.docker.io")
    ref.registry = kDockerHub;

  if (auto problem = repositoryProblem(path)) return refuse(text, *problem);
  ref.repository = std::string(path);
  if (ref.registry == kDockerHub && ref.repository.find('/') == std::string::npos)
    ref.repository.insert(0, kOfficialPrefix);

  if (ref.repositoryRef().size() > kMaxNameLength)
    return refuse(text, "name is longer than " + std::to_string(kMaxNameLength) + " characters");
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

}  // namespace berth
