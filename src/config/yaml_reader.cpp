#include "config/yaml_reader.h"

#include <charconv>

#include "config/inline_secret.h"
#include "config/names.h"
#include "config/suggest.h"
#include "core/duration.h"

namespace berth {
namespace {

// yaml-cpp's tag for a plain (unquoted) scalar; quoted scalars get "!".
constexpr std::string_view kPlainTag = "?";

bool isPlainScalar(const YAML::Node& node) {
  return node.IsScalar() && node.Tag() == kPlainTag;
}

}  // namespace

Where whereOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

std::string describeNode(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      // Quotes make 8080 or true a string; "got '8080'" would hide why it was refused.
      return (node.Tag() == "!" ? "the quoted string '" : "'") + node.Scalar() + "'";
    default:
      return "nothing";
  }
}

MapReader::MapReader(const YAML::Node& node, std::string path, Diagnostics& diag,
                     std::vector<std::string> known, Where fallback)
    : MapReader(node, std::move(path), diag, std::move(known), fallback, false) {}

MapReader MapReader::anyKeys(const YAML::Node& node, std::string path, Diagnostics& diag,
                             Where fallback) {
  return MapReader(node, std::move(path), diag, {}, fallback, true);
}

MapReader::MapReader(const YAML::Node& node, std::string path, Diagnostics& diag,
                     std::vector<std::string> known, Where fallback, bool any_keys)
    : path_(std::move(path)), diag_(diag) {
  where_ = whereOf(node);
  if (where_.line == 0 || node.IsNull()) where_ = fallback;
  if (!node.IsMap()) {
    diag_.error(where_, path_, "expected a map, got " + describeNode(node));
    return;
  }
  is_map_ = true;
  // Iterators yield pairs by value; copy them (a reference to it->first would dangle).
  for (const auto pair : node) {
    ++count_;
    const YAML::Node key = pair.first;
    if (!key.IsScalar()) {
      diag_.error(whereOf(key), path_, "keys must be plain words, got " + describeNode(key));
      continue;
    }
    Entry entry{key.Scalar(), key, pair.second};
    // yaml-cpp keeps both pairs of a repeated key and lookups see only the first, so a repeated
    // key would silently lose the operator's second value.
    bool repeated = false;
    for (const auto& seen : entries_) {
      if (seen.name == entry.name) {
        diag_.error(whereOf(key), keyPath(entry.name),
                    "duplicate key (first at line " + std::to_string(whereOf(seen.key).line) + ")");
        repeated = true;
        break;
      }
    }
    if (repeated) continue;
    if (!any_keys && std::find(known.begin(), known.end(), entry.name) == known.end()) {
      reportUnknownKey(entry, known);
      // Remember it anyway so a second copy is reported as a duplicate, not twice as unknown.
      // reset(), not assignment: assigning to a YAML::Node overwrites the node it refers to,
      // and that node may be an anchor aliased elsewhere (`x: &a [...]` then `projects: *a`).
      entry.value.reset();
    }
    entries_.push_back(std::move(entry));
  }
}

void MapReader::reportUnknownKey(const Entry& entry, const std::vector<std::string>& known) const {
  const Where at = whereOf(entry.key);
  const std::string key_path = keyPath(entry.name);
  if (looksLikeInlineSecret(entry.name)) {
    diag_.error(at, key_path, inlineSecretMessage(entry.name, known));
    return;
  }
  if (entry.name == "<<") {
    // YAML 1.1 merge keys; yaml-cpp reads "<<" as an ordinary key.
    diag_.error(at, key_path, "merge keys (<<) are not supported; write the keys out in full");
    return;
  }
  std::string message = "unknown key '" + entry.name + "'";
  if (auto guess = closestMatch(entry.name, known))
    message += "; did you mean '" + *guess + "'?";
  else
    message += "; expected one of: " + joinList(known);
  diag_.error(at, key_path, message);
}

const MapReader::Entry* MapReader::find(std::string_view key) const {
  for (const auto& entry : entries_)
    if (entry.name == key) return &entry;
  return nullptr;
}

std::optional<YAML::Node> MapReader::get(std::string_view key) const {
  const Entry* entry = find(key);
  if (entry == nullptr || !entry->value.IsDefined() || entry->value.IsNull()) return std::nullopt;
  return entry->value;
}

Where MapReader::whereKey(std::string_view key) const {
  const Entry* entry = find(key);
  return entry ? whereOf(entry->key) : where_;
}

Where MapReader::whereValue(std::string_view key) const {
  const Entry* entry = find(key);
  if (entry == nullptr) return where_;
  if (!entry->value.IsDefined() || entry->value.IsNull()) return whereOf(entry->key);
  const Where at = whereOf(entry->value);
  return at.line == 0 ? whereOf(entry->key) : at;
}

void MapReader::error(std::string_view key, std::string message) const {
  diag_.error(whereValue(key), keyPath(key), std::move(message));
}

bool MapReader::require(std::string_view key) const {
  if (has(key)) return true;
  const Entry* entry = find(key);
  if (entry != nullptr && entry->value.IsDefined())
    diag_.error(whereKey(key), keyPath(key), "a value is required");
  else
    diag_.error(where_, keyPath(key), "missing required key '" + std::string(key) + "'");
  return false;
}

std::optional<MapReader> MapReader::child(std::string_view key,
                                          std::vector<std::string> known) const {
  const auto node = get(key);
  if (!node) return std::nullopt;
  MapReader reader(*node, keyPath(key), diag_, std::move(known), whereValue(key));
  if (!reader.isMap()) return std::nullopt;
  return reader;
}

std::optional<YAML::Node> MapReader::list(std::string_view key) const {
  const auto node = get(key);
  if (!node) return std::nullopt;
  if (!node->IsSequence()) {
    error(key, "expected a list, got " + describeNode(*node));
    return std::nullopt;
  }
  return node;
}

bool MapReader::string(std::string_view key, std::string& out) const {
  const auto node = get(key);
  if (!node) return false;
  if (!node->IsScalar()) {
    error(key, "expected a string, got " + describeNode(*node));
    return false;
  }
  out = node->Scalar();
  return true;
}

bool MapReader::boolean(std::string_view key, bool& out) const {
  const auto node = get(key);
  if (!node) return false;
  if (isPlainScalar(*node) && (node->Scalar() == "true" || node->Scalar() == "false")) {
    out = node->Scalar() == "true";
    return true;
  }
  error(key, "expected true or false, got " + describeNode(*node));
  return false;
}

bool MapReader::integer(std::string_view key, int& out, int min, int max) const {
  const auto node = get(key);
  if (!node) return false;
  const std::string& text = node->Scalar();
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (!isPlainScalar(*node) || text.empty() || ec == std::errc::invalid_argument || ptr != end) {
    error(key, "expected an integer, got " + describeNode(*node));
    return false;
  }
  // YAML 1.1 tools read 010 as octal 8, YAML 1.2 tools as 10.
  const size_t digits = text.find_first_not_of("+-");
  if (text.size() > digits + 1 && text[digits] == '0') {
    error(key, "expected an integer without leading zeros, got " + text);
    return false;
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                   text);
    return false;
  }
  out = static_cast<int>(value);
  return true;
}

bool MapReader::duration(std::string_view key, Duration& out, Duration min, Duration max) const {
  std::string text;
  if (!string(key, text)) return false;
  const auto value = parseDuration(text);
  if (!value) {
    error(key, "expected a duration such as 500ms, 30s, 5m or 1h30m, got '" + text + "'");
    return false;
  }
  if (max != Duration::max() && (*value < min || *value > max)) {
    error(key, "must be between " + formatDuration(min) + " and " + formatDuration(max) + ", got " +
                   text);
    return false;
  }
  if (*value < min) {
    error(key, "must be at least " + formatDuration(min) + ", got " + text);
    return false;
  }
  out = *value;
  return true;
}

bool MapReader::envReference(std::string_view key, std::string& out) const {
  std::string text;
  if (!string(key, text)) return false;
  if (!isEnvVarName(text)) {
    // Not repeated: what people write here by mistake is the secret itself.
    error(key,
          "expected the name of an environment variable ([A-Za-z_][A-Za-z0-9_]*); the secret "
          "itself goes into that variable, not into this file (the value is not shown)");
    return false;
  }
  out = text;
  return true;
}

bool MapReader::stringList(std::string_view key, std::vector<std::string>& out,
                           std::string (*check)(const std::string&)) const {
  const auto node = get(key);
  if (!node) return false;
  if (!node->IsSequence()) {
    error(key, "expected a list such as [a, b], got " + describeNode(*node));
    return false;
  }
  std::vector<std::string> items;
  bool ok = true;
  for (size_t i = 0; i < node->size(); ++i) {
    const YAML::Node item = (*node)[i];
    const std::string item_path = itemPath(keyPath(key), i);
    if (!item.IsScalar()) {
      diag_.error(whereOf(item), item_path, "expected a string, got " + describeNode(item));
      ok = false;
      continue;
    }
    if (check != nullptr) {
      if (std::string problem = check(item.Scalar()); !problem.empty()) {
        diag_.error(whereOf(item), item_path, problem);
        ok = false;
        continue;
      }
    }
    items.push_back(item.Scalar());
  }
  if (ok) out = std::move(items);
  return ok;
}

bool MapReader::envMap(std::string_view key, std::map<std::string, std::string>& out) const {
  const auto node = get(key);
  if (!node) return false;
  const MapReader env = anyKeys(*node, keyPath(key), diag_, whereValue(key));
  if (!env.isMap()) return false;
  std::map<std::string, std::string> values;
  bool ok = env.count_ == env.entries_.size();  // false after a duplicate or non-scalar key
  for (const auto& entry : env.entries_) {
    if (const size_t equals = entry.name.find('='); equals != std::string::npos) {
      // `NAME=value` as in docker-compose: the part after '=' may be a secret, so it is left out
      // of the key path and the message.
      const std::string name = entry.name.substr(0, equals);
      diag_.error(whereOf(entry.key), env.keyPath(name),
                  "write '" + name + ": value', not '" + name + "=value' (the value is not shown)");
      ok = false;
    } else if (!isEnvVarName(entry.name)) {
      diag_.error(
          whereOf(entry.key), env.keyPath(entry.name),
          "'" + entry.name + "' is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
      ok = false;
    } else if (!entry.value.IsScalar()) {
      diag_.error(
          env.whereValue(entry.name), env.keyPath(entry.name),
          "expected a string value (write '' for an empty one), got " + describeNode(entry.value));
      ok = false;
    } else if (entry.value.Scalar().find('\0') != std::string::npos) {
      // Written as "\0" in a double-quoted string; environment strings end at the first NUL.
      diag_.error(env.whereValue(entry.name), env.keyPath(entry.name),
                  "an environment value cannot contain NUL (\\0)");
      ok = false;
    } else {
      values.emplace(entry.name, entry.value.Scalar());
    }
  }
  if (ok) out = std::move(values);
  return ok;
}

void MapReader::reportBadEnum(std::string_view key, const std::string& text,
                              const std::vector<std::string>& allowed) const {
  std::string message = "unknown value '" + text + "'; expected one of: " + joinList(allowed);
  if (auto guess = closestMatch(text, allowed)) message += " (did you mean '" + *guess + "'?)";
  error(key, message);
}

}  // namespace berth
