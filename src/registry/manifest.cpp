#include "registry/manifest.h"

#include <nlohmann/json.hpp>

#include "core/reference_grammar.h"
#include "registry/registry_error.h"

namespace berth::registry {
namespace {

using nlohmann::json;

[[noreturn]] void malformed(const std::string& context, const std::string& what) {
  throw RegistryError(RegistryError::Kind::bad_response, context + ": " + what);
}

bool isKnown(std::string_view type) {
  return type == media_type::kOciIndex || type == media_type::kOciManifest ||
         type == media_type::kDockerManifestList || type == media_type::kDockerManifest;
}

bool isSchema1(std::string_view type) {
  return type == "application/vnd.docker.distribution.manifest.v1+json" ||
         type == "application/vnd.docker.distribution.manifest.v1+prettyjws";
}

std::string_view withoutParameters(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.back() == ' ')
    content_type.remove_suffix(1);
  return content_type;
}

std::string optionalString(const json& object, const char* field, const std::string& path,
                           const std::string& context) {
  if (!object.contains(field) || object[field].is_null()) return "";
  if (!object[field].is_string())
    malformed(context, "field '" + path + field + "' must be a string");
  return object[field].get<std::string>();
}

std::string requiredDigest(const json& object, const std::string& path,
                           const std::string& context) {
  if (!object.contains("digest")) malformed(context, "field '" + path + "digest' is missing");
  const std::string digest = optionalString(object, "digest", path, context);
  if (!isValidDigest(digest))
    malformed(context, "field '" + path + "digest' is not a valid digest ('" + digest + "')");
  return digest;
}

std::vector<ManifestChild> parseChildren(const json& body, const std::string& context) {
  if (!body.contains("manifests") || !body["manifests"].is_array())
    malformed(context, "field 'manifests' must be an array");
  std::vector<ManifestChild> children;
  const auto& list = body["manifests"];
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string path = "manifests[" + std::to_string(i) + "].";
    const json& entry = list[i];
    if (!entry.is_object())
      malformed(context, "field 'manifests[" + std::to_string(i) + "]' must be an object");
    ManifestChild child;
    child.digest = requiredDigest(entry, path, context);
    child.media_type = optionalString(entry, "mediaType", path, context);
    if (entry.contains("platform") && !entry["platform"].is_null()) {
      const json& p = entry["platform"];
      if (!p.is_object()) malformed(context, "field '" + path + "platform' must be an object");
      child.platform.os = optionalString(p, "os", path + "platform.", context);
      child.platform.architecture = optionalString(p, "architecture", path + "platform.", context);
      child.platform.variant = optionalString(p, "variant", path + "platform.", context);
    }
    // BuildKit marks attestation manifests with this annotation (and platform unknown/unknown).
    if (entry.contains("annotations") && entry["annotations"].is_object()) {
      const json& a = entry["annotations"];
      const auto type = a.find("vnd.docker.reference.type");
      if (type != a.end() && type->is_string() &&
          type->get<std::string>() == "attestation-manifest")
        child.attestation = true;
    }
    if (child.platform.os == "unknown" && child.platform.architecture == "unknown")
      child.attestation = true;
    children.push_back(std::move(child));
  }
  return children;
}

}  // namespace

bool Manifest::hasChild(std::string_view wanted) const {
  for (const auto& c : children)
    if (c.digest == wanted) return true;
  return false;
}

const ManifestChild* Manifest::preferredChild() const {
  for (const auto& c : children)
    if (c.platform.os == "linux" && c.platform.architecture == "amd64" && !c.attestation) return &c;
  for (const auto& c : children)
    if (!c.attestation) return &c;
  return nullptr;
}

Manifest parseManifest(std::string_view body, std::string_view content_type, std::string digest,
                       const std::string& context) {
  const auto parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) malformed(context, "manifest is not valid JSON");
  if (!parsed.is_object()) malformed(context, "manifest is not a JSON object");

  Manifest m;
  m.digest = std::move(digest);
  const std::string body_type = optionalString(parsed, "mediaType", "", context);
  const std::string_view header_type = withoutParameters(content_type);
  if (isSchema1(header_type) || isSchema1(body_type) ||
      (parsed.contains("schemaVersion") && parsed["schemaVersion"] == 1))
    malformed(context,
              "schema 1 manifests are not supported (push the image again with a "
              "current Docker or buildx)");
  if (isKnown(header_type)) {
    m.media_type = std::string(header_type);
  } else if (isKnown(body_type)) {
    m.media_type = body_type;
  } else if (body_type.empty() && parsed.contains("manifests")) {
    m.media_type = std::string(media_type::kOciIndex);
  } else if (body_type.empty() && parsed.contains("config")) {
    m.media_type = std::string(media_type::kOciManifest);
  } else {
    malformed(context, "unsupported manifest media type '" +
                           (body_type.empty() ? std::string(header_type) : body_type) + "'");
  }

  if (m.isIndex()) {
    m.children = parseChildren(parsed, context);
  } else {
    if (!parsed.contains("config") || !parsed["config"].is_object())
      malformed(context, "field 'config' must be an object");
    m.config_digest = requiredDigest(parsed["config"], "config.", context);
  }
  return m;
}

}  // namespace berth::registry
