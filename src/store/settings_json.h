// The global sections of the configuration as JSON objects for the settings table (one row per
// section). Private to store/; nlohmann/json stays inside the .cpp.
#pragma once

#include <string>
#include <string_view>

#include "core/model.h"

namespace berth::settings_json {

std::string encode(const ServerSettings& server);
std::string encode(const DockerSettings& docker);
std::string encode(const ProxySettings& proxy);
std::string encode(const AuthSettings& auth);

// Decoding starts from the defaults and overwrites the fields present, so a section written by
// an older berth (fewer fields) still loads. Throws a std::exception on malformed JSON or an
// unknown enum spelling; the caller adds the file name.
void decode(std::string_view json, ServerSettings& server);
void decode(std::string_view json, DockerSettings& docker);
void decode(std::string_view json, ProxySettings& proxy);
void decode(std::string_view json, AuthSettings& auth);

}  // namespace berth::settings_json
