// Spelling rules for the names and small strings berth.yaml holds. Each rule exists because the
// value ends up somewhere stricter: container names, environment, nginx server_name, docker -v.
#pragma once

#include <string>
#include <string_view>

namespace berth {

// Project and stage names become parts of container names, labels and URLs:
// [a-z0-9][a-z0-9_-]*, at most 63 characters (a DNS label).
bool isSafeName(std::string_view name);

// Environment variable names as POSIX shells accept them: [A-Za-z_][A-Za-z0-9_]*.
bool isEnvVarName(std::string_view name);

// A host name for routing: lowercase labels of [a-z0-9-] (not starting or ending with '-'),
// at most 253 characters; a leading "*." wildcard is allowed because both proxies support it.
bool isDomainName(std::string_view name);

// "host:port", ":port", "[::1]:port" or, when `bare_port_ok`, just "port"; port in 1..65535.
bool isListenAddress(std::string_view text, bool bare_port_ok);

// A Docker volume mount: "name:/path", "/host/path:/path", optionally ":ro" or ":rw". The name
// follows Docker's rule for volume names, [A-Za-z0-9][A-Za-z0-9_.-]*.
bool isVolumeSpec(std::string_view spec);

// An absolute http(s) URL with a host: "http://npm:81", "https://id.example.com/.well-known/...".
bool isHttpUrl(std::string_view url);

// Whether a URL ("scheme://authority/...") names a user, and maybe a password, before its host:
// "https://user:pw@host/". Such a URL must be refused without being repeated in the message.
bool hasUserInfo(std::string_view url);

// The rules above as error messages for berth.yaml: "" when valid, otherwise what is wrong.
std::string nameProblem(const std::string& name);
std::string domainProblem(const std::string& domain);
std::string volumeProblem(const std::string& spec);

}  // namespace berth
